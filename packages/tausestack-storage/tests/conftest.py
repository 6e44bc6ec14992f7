"""Fixtures for the storage tests: a clean module default and one Storage per backend kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tausestack import storage
from tausestack.storage import Storage


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _fresh_default() -> Iterator[None]:
    storage.reset()
    yield
    storage.reset()


@pytest.fixture(params=["memory", "local", "local-nofsync"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """The same tests on every embedded backend."""
    if request.param == "memory":
        return Storage("memory://")
    if request.param == "local":
        return Storage(f"file://{tmp_path}/store")
    return Storage(f"file://{tmp_path}/store?fsync=false")
