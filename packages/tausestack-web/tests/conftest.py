"""Fixtures for tausestack-web tests: a fast local auth backend, a project builder, clean defaults."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tausestack.auth.backends.local import LocalAuthBackend


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def auth_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAuthBackend]:
    """The real local backend (ES256: fast key generation; cheap argon2 parameters for speed)."""
    backend = LocalAuthBackend(
        directory=tmp_path_factory.mktemp("auth"),
        algorithm="ES256",
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    yield backend
    backend.close()


@pytest.fixture(autouse=True)
def _reset_module_defaults() -> Iterator[None]:
    """Tests must not leak a module default (auth, storage, cache, database) or the log handler
    ``create_app`` installs into the next one."""
    logger = logging.getLogger("tausestack")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
    import importlib

    for name in ("auth", "storage", "cache", "database"):
        try:
            module = importlib.import_module(f"tausestack.{name}")
        except ImportError:
            continue
        reset = getattr(module, "reset", None)
        if callable(reset):
            reset()


ProjectWriter = Callable[[dict[str, str]], Path]


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectWriter:
    """Write ``{relative path: source}`` under a fresh project directory and return it."""
    counter = iter(range(1000))

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / f"project{next(counter)}"
        root.mkdir()
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip())
        return root

    return write
