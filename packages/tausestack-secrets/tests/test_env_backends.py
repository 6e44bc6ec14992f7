"""The env:// default (environment, then .env), dotenv:// files and comma-separated chains."""

from __future__ import annotations

from pathlib import Path

import pytest

from tausestack import secrets
from tausestack.core import ConfigurationError, InvalidInputError, UnsupportedOperationError
from tausestack.secrets import Secrets
from tausestack.secrets.backends.chain import ChainSecretsBackend
from tausestack.secrets.backends.dotenv import DotenvSecretsBackend
from tausestack.secrets.backends.env import EnvSecretsBackend
from tausestack.secrets.backends.memory import MemorySecretsBackend


def test_env_reads_dotenv_and_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("FROM_FILE=file-value\nBOTH=file\n# comment\nQUOTED='a b#c'\n")
    monkeypatch.setenv("BOTH", "environment")
    assert secrets.get("FROM_FILE") == "file-value"
    assert secrets.get("BOTH") == "environment"
    assert secrets.get("QUOTED") == "a b#c"
    assert {"FROM_FILE", "BOTH", "QUOTED"} <= set(secrets.get_names())
    Path(".env").write_text("FROM_FILE=changed-and-longer\n")
    assert secrets.get("FROM_FILE") == "changed-and-longer"


def test_env_prefix_and_no_dotenv(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("APP_FILE_ONLY=x\n")
    monkeypatch.setenv("APP_TOKEN", "t")
    store = Secrets("env://?prefix=APP_&dotenv=")
    assert store.get("TOKEN") == "t"
    assert store.get("FILE_ONLY", default=None) is None
    assert "TOKEN" in store.get_names()
    assert store.describe() == "env://?prefix=APP_&dotenv="
    with_file = Secrets("env://?prefix=APP_")
    assert with_file.get("FILE_ONLY") == "x"


def test_env_put_and_delete_change_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TS_TEMP_SECRET", raising=False)
    store = Secrets(EnvSecretsBackend(dotenv=None))
    store.put("TS_TEMP_SECRET", "v")
    assert store.get("TS_TEMP_SECRET") == "v"
    assert store.delete("TS_TEMP_SECRET") is True
    assert store.delete("TS_TEMP_SECRET") is False


def test_dotenv_backend_writes_the_file_keeping_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "secrets.env"
    store = Secrets(f"dotenv://{path}")
    assert store.get_names() == []
    tricky = 'it\'s a "quoted" value\nwith a newline and \\ backslash'
    store.put("TRICKY", tricky)
    store.put("OTHER", "x")
    assert store.get("TRICKY") == tricky
    store.put("TRICKY", "replaced")
    assert store.get("TRICKY") == "replaced"
    assert store.get_names() == ["OTHER", "TRICKY"]
    assert path.read_text().count("TRICKY=") == 1
    assert store.delete("TRICKY") is True
    assert store.delete("TRICKY") is False
    assert store.get_names() == ["OTHER"]
    assert (path.stat().st_mode & 0o777) == 0o600
    with pytest.raises(InvalidInputError):
        store.put("not/an/env/name", "x")
    assert isinstance(store.backend, DotenvSecretsBackend)


def test_chain_first_hit_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "env://?dotenv= , memory://")
    monkeypatch.setenv("SHARED", "from-env")
    backend = secrets.get_secrets().backend
    assert isinstance(backend, ChainSecretsBackend)
    memory = backend.backends[1]
    assert isinstance(memory, MemorySecretsBackend)
    memory.put("SHARED", "from-memory")
    memory.put("ONLY_MEMORY", "m")
    assert secrets.get("SHARED") == "from-env"
    assert secrets.get("ONLY_MEMORY") == "m"
    assert {"SHARED", "ONLY_MEMORY"} <= set(secrets.get_names())
    assert secrets.describe() == "env://?dotenv=,memory://"
    assert secrets.delete("ONLY_MEMORY") is True
    assert secrets.get("ONLY_MEMORY", default=None) is None


def test_chain_put_goes_to_the_first_backend() -> None:
    first, second = MemorySecretsBackend(), MemorySecretsBackend()
    store = Secrets(ChainSecretsBackend([first, second]))
    store.put("K", "v")
    assert first.get("K") == "v"
    assert second.get("K") is None


def test_read_only_and_configuration_errors(tmp_path: Path) -> None:
    class ReadOnly(MemorySecretsBackend):
        put = EnvSecretsBackend.__mro__[1].put  # the base class's refusal
        delete = EnvSecretsBackend.__mro__[1].delete

    with pytest.raises(UnsupportedOperationError):
        Secrets(ReadOnly()).put("K", "v")
    with pytest.raises(ConfigurationError):
        Secrets("nope://")
    with pytest.raises(ConfigurationError):
        Secrets("env://?prefx=A")
    with pytest.raises(InvalidInputError):
        Secrets(3)  # type: ignore[arg-type]
