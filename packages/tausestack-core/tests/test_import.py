from __future__ import annotations

import subprocess
import sys

import pytest

import tausestack.core


def test_import_is_cheap_and_lazy() -> None:
    """Importing core (and its errors) loads neither pydantic-settings, anyio nor importlib.metadata."""
    code = (
        "import sys, tausestack.core\n"
        "from tausestack.core import InvalidKeyError, BackendRegistry, LazyDefault, get_logger, parse_url\n"
        "heavy = [m for m in ('pydantic', 'pydantic_settings', 'anyio', 'importlib.metadata') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_every_public_name_resolves() -> None:
    for name in tausestack.core.__all__:
        assert getattr(tausestack.core, name) is not None, name
    assert set(tausestack.core.__all__) <= set(dir(tausestack.core))


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = tausestack.core.nope  # type: ignore[attr-defined]
