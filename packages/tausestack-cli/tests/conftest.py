"""Fixtures of the CLI tests."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner (stdout and stderr kept apart)."""
    return CliRunner()


@pytest.fixture(autouse=True)
def _fresh_module_defaults() -> Iterator[None]:
    """Commands build the SDK modules' lazy defaults in-process: forget them after each test."""
    yield
    for name in ("storage", "secrets", "cache", "notify", "auth", "database"):
        with contextlib.suppress(Exception):
            module = importlib.import_module(f"tausestack.{name}")
            reset = getattr(module, "reset", None)
            if callable(reset):
                reset()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
