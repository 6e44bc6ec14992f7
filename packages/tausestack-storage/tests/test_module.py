"""The lazy module default: zero configuration, TAUSESTACK_STORAGE_URL, configure/reset, cheap import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tausestack import storage
from tausestack.core import ConfigurationError, InvalidInputError
from tausestack.storage import MemoryStorageBackend, Storage
from tausestack.storage.backends.local import LocalStorageBackend


def test_import_is_cheap_and_creates_nothing(tmp_path: Path) -> None:
    code = (
        "import sys, os\n"
        "from tausestack import storage\n"
        "import tausestack.storage.backends\n"
        "assert storage.describe() == 'file://.tausestack/storage', storage.describe()\n"
        "bad = [m for m in ('boto3', 'botocore', 'pandas', 'pyarrow') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "assert os.listdir('.') == [], os.listdir('.')\n"
        "import json as stdlib\n"
        "assert storage.json is not stdlib\n"
        "assert os.listdir('.') == [], os.listdir('.')\n"
        "print('ok')\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=empty, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert list(empty.iterdir()) == []


def test_init_never_binds_stdlib_json() -> None:
    source = Path(storage.__file__).read_text()
    assert "import json" not in source
    assert "json" not in vars(storage)


def test_zero_configuration_uses_local_files_in_the_working_directory() -> None:
    storage.json.put("settings", {"theme": "dark"})
    assert storage.json.get("settings") == {"theme": "dark"}
    assert Path(".tausestack/storage/json/settings").read_bytes() == b'{"theme":"dark"}'
    assert storage.describe() == "file://.tausestack/storage"
    storage.health()


def test_environment_variable_chooses_the_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_STORAGE_URL", "memory://")
    storage.text.put("k", "v")
    assert isinstance(storage.get_storage().backend, MemoryStorageBackend)
    assert not Path(".tausestack").exists()
    assert storage.describe() == "memory://"


def test_env_file_is_read(tmp_path: Path) -> None:
    Path(".env").write_text(f"TAUSESTACK_STORAGE_URL=file://{tmp_path}/from-env\n")
    storage.json.put("k", 1)
    assert (tmp_path / "from-env" / "json" / "k").exists()


def test_configure_and_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    storage.configure("memory://")
    storage.json.put("k", 1)
    assert storage.json.get("k") == 1
    backend = MemoryStorageBackend()
    storage.configure(backend)
    assert storage.get_storage().backend is backend
    assert storage.json.get("k", default=None) is None
    own = Storage("memory://")
    storage.configure(own)
    assert storage.get_storage() is own
    storage.reset()
    assert isinstance(storage.get_storage().backend, LocalStorageBackend)


def test_dataframes_alias_and_kind_attributes() -> None:
    storage.configure("memory://")
    assert storage.dataframes is storage.dataframe
    with pytest.raises(AttributeError):
        _ = storage.nonexistent  # type: ignore[attr-defined]


def test_unknown_scheme_and_option_are_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_STORAGE_URL", "ftp://host/x")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_STORAGE_URL"):
        storage.json.get("k", default=None)
    with pytest.raises(ConfigurationError, match="fsyn"):
        Storage("file://x?fsyn=false")
    with pytest.raises(InvalidInputError):
        Storage(42)  # type: ignore[arg-type]


def test_health_reports_an_unwritable_location(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = Storage(f"file://{blocker}/sub")
    with pytest.raises(ConnectionError):
        store.health()


def test_close_is_safe_when_nothing_was_built() -> None:
    storage.close()
    storage.configure("memory://")
    storage.close()
    storage.json.put("still", "works")


@pytest.mark.anyio
async def test_async_twins_of_module_functions() -> None:
    storage.configure("memory://")
    await storage.ahealth()
    await storage.json.aput("k", {"a": 1})
    assert await storage.json.aget("k") == {"a": 1}
    assert await storage.json.aexists("k")
    assert [e.name for e in await storage.json.alist()] == ["k"]
    assert await storage.json.adelete("k")
    await storage.binary.aput("b", b"x", content_type="text/csv")
    assert (await storage.binary.ainfo("b")).content_type == "text/csv"
    assert await storage.binary.aget("b") == b"x"
    await storage.text.aput("t", "x")
    assert await storage.text.aget("t") == "x"
    await storage.aclose()


def test_url_given_as_a_secret_reference(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tausestack import secrets

    monkeypatch.setenv("STORAGE_LOCATION", f"file://{tmp_path}/via-secret")
    monkeypatch.setenv("TAUSESTACK_STORAGE_URL", "secret:STORAGE_LOCATION")
    try:
        assert storage.describe() == "secret:STORAGE_LOCATION"  # nothing resolved, nothing opened
        storage.json.put("k", 1)
        assert (tmp_path / "via-secret" / "json" / "k").exists()
        storage.configure("secret:STORAGE_LOCATION")
        assert storage.json.get("k") == 1
    finally:
        secrets.reset()
