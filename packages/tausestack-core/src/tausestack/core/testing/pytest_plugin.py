"""pytest fixtures for real services. Enable with ``pytest_plugins = ["tausestack.core.testing.pytest_plugin"]``.

Session-scoped fixtures start (or connect to) each service once per run and stop what they
started by its PID; function-scoped fixtures give each test a clean state.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tausestack.core.testing._services import (
    FirebaseEmulator,
    MotoServer,
    PostgresService,
    RedisService,
    make_workdir,
)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresService]:
    """A throwaway PostgreSQL database for this run (dropped at the end)."""
    service = PostgresService.create()
    try:
        yield service
    finally:
        service.drop()


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresService) -> str:
    """SQLAlchemy URL (``postgresql+psycopg://...``) of this run's throwaway database."""
    return postgres.url()


@pytest.fixture(scope="session")
def redis_service() -> Iterator[RedisService]:
    """This run's Redis database index (flushed at start and end)."""
    service = RedisService.create()
    try:
        yield service
    finally:
        service.flush()


@pytest.fixture
def redis_url(redis_service: RedisService) -> str:
    """URL of this run's Redis database, flushed before the test."""
    redis_service.flush()
    return redis_service.url


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """One ``moto[server]`` process for the run, stopped by its PID at the end."""
    workdir = make_workdir("moto")
    server = MotoServer.start(workdir)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def moto(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """The moto server, reset, with AWS credentials, region and endpoint set in the environment."""
    moto_server.reset()
    for name, value in moto_server.environ().items():
        monkeypatch.setenv(name, value)
    return moto_server


@pytest.fixture(scope="session")
def firebase_emulator_server(request: pytest.FixtureRequest) -> Iterator[FirebaseEmulator]:
    """The Firebase Auth emulator for the run, stopped by its PID at the end."""
    workdir = make_workdir("firebase")
    emulator = FirebaseEmulator.start(request.config.rootpath, workdir)
    try:
        yield emulator
    finally:
        emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def firebase_emulator(
    firebase_emulator_server: FirebaseEmulator, monkeypatch: pytest.MonkeyPatch
) -> FirebaseEmulator:
    """The Firebase Auth emulator with no accounts, and ``FIREBASE_AUTH_EMULATOR_HOST`` set."""
    firebase_emulator_server.clear()
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", firebase_emulator_server.host)
    return firebase_emulator_server
