"""Configuration, the lazy module default, engines, pool settings, health and shutdown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url

from tausestack import database
from tausestack.core import BackendUnavailableError, ConfigurationError
from tausestack.database import Database, EngineOptions, SQLAlchemyBackend
from tausestack.database._engines import async_url, sync_url


@pytest.fixture(autouse=True)
def _reset_default() -> Any:
    database.reset()
    yield
    database.reset()


def test_import_is_cheap_and_side_effect_free(tmp_path: Path) -> None:
    code = (
        "import sys, os; import tausestack.database as d; "
        "heavy = [m for m in ('alembic', 'psycopg', 'asyncpg', 'postgrest', 'aiosqlite', 'httpx') if m in sys.modules]; "
        "print(heavy, os.path.exists('.tausestack'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[] False"


def test_default_is_sqlite_file_created_on_first_use() -> None:
    assert database.describe() == "sqlite:///.tausestack/app.db"
    assert not Path(".tausestack").exists()  # describing builds nothing on disk
    assert database.fetch_one("SELECT 40 + :n AS v", {"n": 2}) == {"v": 42}
    assert Path(".tausestack/app.db").is_file()


def test_environment_url_and_secret_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_DATABASE_URL", "sqlite:///from-env.db")
    assert database.describe() == "sqlite:///from-env.db"
    database.reset()
    monkeypatch.setenv("APP_DATABASE_URL", "sqlite:///from-secret.db")
    monkeypatch.setenv("TAUSESTACK_DATABASE_URL", "secret:APP_DATABASE_URL")
    import tausestack.secrets

    tausestack.secrets.reset()
    try:
        database.health()
        assert database.describe() == "sqlite:///from-secret.db"
        assert Path("from-secret.db").is_file()
        assert Database("secret:APP_DATABASE_URL").describe() == "sqlite:///from-secret.db"
    finally:
        tausestack.secrets.reset()


def test_configure_and_module_functions(tmp_path: Path) -> None:
    database.close()  # nothing built: a no-op
    database.configure("sqlite:///configured.db")
    assert database.describe() == "sqlite:///configured.db"
    assert database.get_database().describe() == "sqlite:///configured.db"
    instance = Database("sqlite://")
    database.configure(instance)
    assert database.get_database() is instance
    assert database.fetch_one("SELECT 1 AS one") == {"one": 1}
    database.close()
    assert database.fetch_one("SELECT 2 AS two") == {"two": 2}  # reopens after close
    with pytest.raises(AttributeError):
        database.no_such_function  # noqa: B018


@pytest.mark.anyio
async def test_module_async_functions() -> None:
    database.configure("sqlite:///a.db")
    await database.ahealth()
    assert await database.afetch_one("SELECT 3 AS three") == {"three": 3}
    await database.aclose()
    await database.aclose()


def test_password_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database("postgresql+psycopg://app:hunter2@127.0.0.1:1/app?connect_timeout=1")
    assert "hunter2" not in db.describe()
    assert "hunter2" not in repr(db)
    with pytest.raises(BackendUnavailableError) as caught:
        db.health()
    assert "hunter2" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)
    db.close()


@pytest.mark.anyio
async def test_async_health_failure_is_backend_unavailable() -> None:
    db = Database("postgresql+psycopg://app:hunter2@127.0.0.1:1/app?connect_timeout=1")
    with pytest.raises(BackendUnavailableError) as caught:
        await db.ahealth()
    assert "hunter2" not in str(caught.value)
    await db.aclose()


@pytest.mark.postgres
@pytest.mark.anyio
async def test_postgres_health_sync_and_async(postgres_url: str) -> None:
    db = Database(postgres_url)
    db.health()
    await db.ahealth()
    assert db.describe().startswith("postgresql+psycopg://")
    await db.aclose()


@pytest.mark.postgres
@pytest.mark.anyio
async def test_postgres_through_asyncpg_and_plain_scheme(postgres: Any) -> None:
    for url in (postgres.url(driver="asyncpg"), postgres.url(driver="")):
        db = Database(url)
        assert db.fetch_one("SELECT 1 AS one") == {"one": 1}
        assert await db.afetch_one("SELECT 2 AS two") == {"two": 2}
        await db.aclose()


def test_pool_settings_from_url_kwargs_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database("postgresql+psycopg://u@h/db?pool_size=7&max_overflow=2&pool_timeout=5s&sslmode=disable")
    backend = db.backend
    assert isinstance(backend, SQLAlchemyBackend)
    assert backend.options == EngineOptions(pool_size=7, max_overflow=2, pool_timeout=5.0)
    assert backend.engine.pool.size() == 7  # type: ignore[attr-defined]
    assert backend.engine.url.query == {"sslmode": "disable"}  # TauseStack options removed
    assert Database("postgresql+psycopg://u@h/db?pool_size=7", pool_size=3).backend.options.pool_size == 3  # type: ignore[attr-defined]
    monkeypatch.setenv("TAUSESTACK_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("TAUSESTACK_DATABASE_POOL_SIZE", "11")
    monkeypatch.setenv("TAUSESTACK_DATABASE_POOL_PRE_PING", "true")
    options = Database().backend.options  # type: ignore[attr-defined]
    assert (options.pool_size, options.pool_pre_ping) == (11, True)
    with pytest.raises(ConfigurationError, match="pool_size"):
        Database("postgresql+psycopg://u@h/db?pool_size=many")


def test_driver_derivation() -> None:
    pairs = {
        "sqlite:///a.db": ("sqlite", "sqlite+aiosqlite"),
        "sqlite+aiosqlite:///a.db": ("sqlite", "sqlite+aiosqlite"),
        "postgresql://h/db": ("postgresql+psycopg", "postgresql+psycopg"),
        "postgresql+psycopg://h/db": ("postgresql+psycopg", "postgresql+psycopg"),
        "postgresql+asyncpg://h/db": ("postgresql+psycopg", "postgresql+asyncpg"),
    }
    for url, (sync, asynchronous) in pairs.items():
        parsed = make_url(url)
        assert (sync_url(parsed).drivername, async_url(parsed).drivername) == (sync, asynchronous)


def test_bad_configuration_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="TAUSESTACK_DATABASE_URL"):
        Database("mongodb://h/db")
    with pytest.raises(ConfigurationError):
        Database("not a url")
    with pytest.raises(ConfigurationError):
        Database(42)  # type: ignore[arg-type]


def test_sqlite_memory_and_wal_file() -> None:
    memory = Database("sqlite://")
    memory.execute("CREATE TABLE t (x INTEGER)")
    memory.execute("INSERT INTO t VALUES (:x)", {"x": 1})
    assert memory.fetch_all("SELECT x FROM t") == [{"x": 1}]
    memory.close()
    nested = Database("sqlite:///deep/dir/app.db")
    assert not Path("deep").exists()
    assert nested.fetch_one("PRAGMA journal_mode") == {"journal_mode": "wal"}
    assert nested.fetch_one("PRAGMA foreign_keys") == {"foreign_keys": 1}
    nested.close()
