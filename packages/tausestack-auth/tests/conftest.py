from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from tausestack import auth
from tausestack.auth.backends._local_keys import SigningKey
from tausestack.auth.backends._local_store import metadata
from tausestack.auth.backends.local import LocalAuthBackend

from ._servers import ReplayServer
from ._targets import Target, local_target, supabase_target


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _fresh_auth_default() -> Iterator[None]:
    """Every test starts and ends with no auth default configured."""
    auth.reset()
    yield
    auth.reset()


@pytest.fixture(scope="session")
def rs256_key() -> SigningKey:
    return SigningKey.generate("RS256")


@pytest.fixture(scope="session")
def es256_key() -> SigningKey:
    return SigningKey.generate("ES256")


@pytest.fixture(scope="session")
def fast_hasher() -> PasswordHasher:
    """argon2 with tiny costs: the tests exercise the logic, not the hardness."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The users database: a SQLite file in the test's directory, or this run's PostgreSQL."""
    if request.param == "sqlite":
        yield "sqlite:///users.db"
        return
    url: str = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url)
    metadata.drop_all(engine)
    engine.dispose()
    yield url
    engine = sa.create_engine(url)
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def local(database: str, rs256_key: SigningKey, fast_hasher: PasswordHasher) -> Iterator[LocalAuthBackend]:
    backend = LocalAuthBackend(database=database, key=rs256_key, password_hasher=fast_hasher)
    yield backend
    backend.close()


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A local HTTP server serving a test JWKS and replaying recorded GoTrue responses."""
    with ReplayServer().running() as server:
        yield server


@pytest.fixture(params=["local-RS256", "local-ES256", "supabase-ES256", "supabase-RS256", "supabase-HS256"])
def target(
    request: pytest.FixtureRequest,
    rs256_key: SigningKey,
    es256_key: SigningKey,
    fast_hasher: PasswordHasher,
    replay: ReplayServer,
) -> Iterator[Target]:
    """Each backend that verifies JWTs, with what a test needs to forge tokens against it."""
    kind, algorithm = str(request.param).split("-")
    if kind == "local":
        key = rs256_key if algorithm == "RS256" else es256_key
        backend = LocalAuthBackend(
            database="sqlite:///users.db", key=key, algorithm=algorithm, password_hasher=fast_hasher
        )
        yield local_target(backend, key)
        backend.close()
    else:
        yield supabase_target(replay, algorithm)
