"""Root conftest: the shared real-service fixtures and a clean environment for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["pytester", "tausestack.core.testing.pytest_plugin"]

_KEEP = ("TAUSESTACK_TEST_",)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own empty working directory with no TAUSESTACK_* settings."""
    for name in list(os.environ):
        if name.startswith("TAUSESTACK_") and not name.startswith(_KEEP):
            monkeypatch.delenv(name, raising=False)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
