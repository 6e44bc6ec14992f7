"""Fixtures for tausestack-cache tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tausestack import cache


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _fresh_default_cache() -> Iterator[None]:
    cache.reset()
    yield
    cache.reset()
