"""Secrets semantics on the memory backend: KeyError, defaults, names, cache, field lookup, safety."""

from __future__ import annotations

import json
import logging

import pytest

from tausestack import secrets
from tausestack.core import InvalidInputError, InvalidKeyError, KeyNotFoundError, NotFoundError, get_logger
from tausestack.secrets import Secrets
from tausestack.secrets.backends.memory import MemorySecretsBackend

VALUE = "sk-live-9f8e7d6c5b4a"


def test_get_put_delete_names() -> None:
    store = Secrets("memory://")
    with pytest.raises(KeyError) as info:
        store.get("API_KEY")
    assert isinstance(info.value, KeyNotFoundError)
    assert isinstance(info.value, NotFoundError)
    assert "API_KEY" in str(info.value)
    assert store.get("API_KEY", default=None) is None
    assert store.get("API_KEY", default=lambda: "computed") == "computed"
    store.put("B_KEY", VALUE)
    store.put("A_KEY", "other")
    assert store.get("B_KEY") == VALUE
    assert store.get_names() == ["A_KEY", "B_KEY"]
    assert store.list() == ["A_KEY", "B_KEY"]
    assert store.delete("B_KEY") is True
    assert store.delete("B_KEY") is False
    assert store.get_names() == ["A_KEY"]


def test_bytes_values() -> None:
    store = Secrets("memory://")
    store.put("CERT", b"\x00\x01binary")
    assert store.get_as_bytes("CERT") == b"\x00\x01binary"
    store.put("TEXT", "héllo")
    assert store.get_as_bytes("TEXT") == "héllo".encode()
    assert store.get_as_bytes("NOPE", default=b"") == b""
    with pytest.raises(KeyError):
        store.get_as_bytes("NOPE")


def test_json_secret_whole_or_by_field() -> None:
    store = Secrets("memory://")
    store.put("db", json.dumps({"user": "app", "password": VALUE, "port": 5432}))
    assert store.get_json("db")["user"] == "app"
    assert store.get("db", field="password") == VALUE
    assert store.get("db#password") == VALUE
    assert store.get("db#port") == "5432"
    assert store.get("db#missing", default="d") == "d"
    with pytest.raises(KeyError, match="db#missing"):
        store.get("db#missing")
    store.put("plain", "not json")
    with pytest.raises(InvalidInputError) as info:
        store.get("plain#field")
    assert "not json" not in str(info.value)


@pytest.mark.parametrize("name", ["", "a b", "a\x00b", "x" * 513, "semi;colon", "new\nline"])
def test_bad_names_are_refused_before_io(name: str) -> None:
    backend = MemorySecretsBackend()
    store = Secrets(backend)
    with pytest.raises(InvalidKeyError):
        store.put(name, "v")
    with pytest.raises(InvalidKeyError):
        store.get(name, default=None)
    with pytest.raises(InvalidKeyError):
        store.delete(name)
    assert backend.names() == []


def test_bad_values_are_refused() -> None:
    store = Secrets("memory://")
    with pytest.raises(InvalidInputError):
        store.put("K", 123)  # type: ignore[arg-type]
    assert store.get_names() == []


def test_ttl_cache_and_force_refresh() -> None:
    backend = MemorySecretsBackend({"K": "v1"})
    store = Secrets(backend, cache_ttl="1h")
    assert store.cache_ttl == 3600
    assert store.get("K") == "v1"
    backend.put("K", "v2")  # rotated behind the cache's back
    assert store.get("K") == "v1"
    assert store.get("K", force_refresh=True) == "v2"
    backend.put("K", "v3")
    assert store.get("K") == "v2"
    store.put("K", "v4")  # a write through the front invalidates
    assert store.get("K") == "v4"
    store.clear_cache()
    backend.put("K", "v5")
    assert store.get("K") == "v5"


def test_no_cache_by_default_on_memory() -> None:
    backend = MemorySecretsBackend({"K": "v1"})
    store = Secrets(backend)
    assert store.cache_ttl == 0
    store.get("K")
    backend.put("K", "v2")
    assert store.get("K") == "v2"


def test_cache_ttl_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_SECRETS_CACHE_TTL", "42")
    assert Secrets("memory://").cache_ttl == 42
    assert Secrets("memory://", cache_ttl=5).cache_ttl == 5


def test_values_never_in_reprs_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    backend = MemorySecretsBackend()
    store = Secrets(backend, cache_ttl=60)
    store.put("TOKEN", VALUE)
    store.put("db", json.dumps({"password": "pw-" + VALUE}))
    assert store.get("TOKEN") == VALUE
    store.get("db#password")
    texts = [repr(store), str(store), repr(backend), store.describe()]
    with pytest.raises(KeyError) as missing:
        store.get("OTHER")
    texts.append(str(missing.value))
    with pytest.raises(InvalidInputError) as bad:
        store.get("TOKEN#field")
    texts.append(str(bad.value))
    for text in texts:
        assert VALUE not in text
    logger = get_logger("secrets.test")
    with caplog.at_level(logging.INFO, logger="tausestack"):
        logger.info("the value is %s and the field %s", VALUE, "pw-" + VALUE)
    assert VALUE not in caplog.text
    assert "***" in caplog.text


def test_module_default_is_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_API_KEY", VALUE)
    assert secrets.get("MY_API_KEY") == VALUE
    assert "MY_API_KEY" in secrets.get_names()
    assert secrets.describe() == "env://"
    secrets.health()


def test_module_configure_reset_and_functions() -> None:
    secrets.configure("memory://")
    secrets.put("K", "v")
    assert secrets.get("K") == "v"
    assert secrets.get_as_bytes("K") == b"v"
    assert secrets.get_names() == ["K"] == secrets.list()
    assert secrets.delete("K")
    assert secrets.describe() == "memory://"
    secrets.close()
    own = Secrets("memory://")
    secrets.configure(own)
    assert secrets.get_secrets() is own
    secrets.reset()
    assert secrets.describe() == "env://"


@pytest.mark.anyio
async def test_async_twins() -> None:
    secrets.configure("memory://")
    await secrets.aput("K", json.dumps({"a": 1}))
    assert await secrets.aget("K#a") == "1"
    assert await secrets.aget_json("K") == {"a": 1}
    assert await secrets.aget_as_bytes("K") == b'{"a": 1}'
    assert await secrets.aget_names() == ["K"] == await secrets.alist()
    assert await secrets.adelete("K")
    assert await secrets.aget("K", default=None) is None
    await secrets.ahealth()
    await secrets.aclose()
    store = Secrets("memory://")
    await store.aput("X", "y")
    assert await store.aget("X") == "y"


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys\nfrom tausestack import secrets\nassert 'boto3' not in sys.modules\nprint('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
