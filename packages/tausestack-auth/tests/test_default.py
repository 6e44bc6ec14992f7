from __future__ import annotations

import subprocess
import sys

import pytest

from tausestack import auth
from tausestack.core import ConfigurationError

from ._doubles import TableBackend


def test_configure_a_backend_object_and_reset() -> None:
    table = TableBackend({})
    assert auth.configure(table) is table
    assert auth.get_backend() is table
    assert auth.describe() == "table://"
    auth.reset()
    assert auth.describe() == "local://"


def test_unknown_scheme_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_AUTH_URL", "nosuch://x")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_AUTH_URL"):
        auth.get_backend()


def test_describe_does_not_build_or_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_AUTH_URL", "supabase://ref?jwt_secret=hunter2hunter2")
    assert "hunter2" not in auth.describe()
    monkeypatch.setenv("TAUSESTACK_AUTH_URL", "secret:AUTH_URL")
    assert auth.describe() == "secret:AUTH_URL"


def test_close_is_safe_when_nothing_was_built() -> None:
    auth.close()


def test_import_is_cheap() -> None:
    code = (
        "import sys, tausestack.auth\n"
        "heavy = [m for m in ('fastapi', 'sqlalchemy', 'firebase_admin', 'supabase', 'argon2', 'starlette',"
        " 'cryptography', 'httpx') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
