"""Fixtures for the secrets tests: a clean module default for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tausestack import secrets


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _fresh_default() -> Iterator[None]:
    secrets.reset()
    yield
    secrets.reset()
