from __future__ import annotations

from collections.abc import Iterator

import pytest

from tausestack import auth


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _fresh_auth_default() -> Iterator[None]:
    """Every test starts and ends with no auth default configured."""
    auth.reset()
    yield
    auth.reset()
