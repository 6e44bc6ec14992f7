"""Fixtures of the CLI tests."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner (stdout and stderr kept apart)."""
    return CliRunner()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
