"""Engines: the sync and async SQLAlchemy engines derived from one database URL.

One URL configures both. The async URL is derived (``sqlite`` → ``sqlite+aiosqlite``,
``postgresql`` / ``postgresql+psycopg`` → psycopg 3's async mode, ``postgresql+asyncpg`` stays)
and so is the sync one (``sqlite+aiosqlite`` → ``sqlite``, ``postgresql+asyncpg`` →
``postgresql+psycopg``). Pool settings are TauseStack options, taken out of the URL before it
reaches SQLAlchemy::

    postgresql+psycopg://app@db/app?pool_size=20&max_overflow=5&pool_pre_ping=true

SQLite gets real transactions (``BEGIN`` emitted by SQLAlchemy, so savepoints nest properly),
foreign keys on, and WAL journaling for files; the directory of a database file is created when
the engine is first built, never at import.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from tausestack.core import BackendURL, ConfigurationError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = [
    "EngineOptions",
    "ENGINE_OPTIONS",
    "split_url",
    "sync_url",
    "async_url",
    "build_engine",
    "build_async_engine",
]


@dataclass(frozen=True)
class EngineOptions:
    """Connection pool settings (``None`` leaves SQLAlchemy's default).

    ``pool_size`` connections kept open (default 5), ``max_overflow`` extra ones under load
    (default 10), ``pool_timeout`` seconds to wait for a free connection (default 30),
    ``pool_recycle`` seconds after which a connection is replaced, ``pool_pre_ping`` tests each
    connection before use (one extra round trip), ``echo`` logs every statement.
    """

    pool_size: int | None = None
    max_overflow: int | None = None
    pool_timeout: float | None = None
    pool_recycle: float | None = None
    pool_pre_ping: bool | None = None
    echo: bool | None = None

    @classmethod
    def from_url(cls, url: BackendURL) -> EngineOptions:
        """Read the pool options of a TauseStack database URL."""
        return cls(
            pool_size=_opt(url, "pool_size", lambda: url.option_int("pool_size", 0, minimum=0)),
            max_overflow=_opt(url, "max_overflow", lambda: url.option_int("max_overflow", 0, minimum=-1)),
            pool_timeout=_opt(url, "pool_timeout", lambda: url.option_duration("pool_timeout", None)),
            pool_recycle=_opt(url, "pool_recycle", lambda: url.option_duration("pool_recycle", None)),
            pool_pre_ping=_opt(url, "pool_pre_ping", lambda: url.option_bool("pool_pre_ping", False)),
            echo=_opt(url, "echo", lambda: url.option_bool("echo", False)),
        )

    def kwargs(self, *, pooled: bool) -> dict[str, Any]:
        """Keyword arguments for ``create_engine`` (sizes only for a pooled database)."""
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            if not pooled and item.name in ("pool_size", "max_overflow", "pool_timeout"):
                continue
            out[item.name] = value
        return out


ENGINE_OPTIONS = frozenset(item.name for item in fields(EngineOptions))


def _opt(url: BackendURL, name: str, read: Any) -> Any:
    return read() if name in url.options else None


def split_url(url: BackendURL) -> tuple[URL, EngineOptions]:
    """The SQLAlchemy URL (TauseStack options removed) and the pool options of ``url``."""
    try:
        sa_url = make_url(url.raw)
    except ArgumentError as exc:
        raise ConfigurationError(f"{url.variable}={url.redacted()!r} is not a database URL: {exc}") from None
    return sa_url.difference_update_query(ENGINE_OPTIONS), EngineOptions.from_url(url)


_SYNC_DRIVERS = {
    "sqlite+aiosqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",
    "postgresql+psycopg_async": "postgresql+psycopg",
}
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg2": "postgresql+psycopg",
}


def sync_url(url: URL) -> URL:
    """The URL the sync engine uses."""
    return url.set(drivername=_SYNC_DRIVERS.get(url.drivername, url.drivername))


def async_url(url: URL) -> URL:
    """The URL the async engine uses."""
    return url.set(drivername=_ASYNC_DRIVERS.get(url.drivername, url.drivername))


def is_memory_sqlite(url: URL) -> bool:
    """Whether ``url`` is an in-memory SQLite database."""
    if url.get_backend_name() != "sqlite":
        return False
    database = url.database or ""
    return database in ("", ":memory:") or url.query.get("mode") == "memory"


def _prepare(url: URL, options: EngineOptions) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if url.get_backend_name() == "sqlite":
        if is_memory_sqlite(url):
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
            kwargs.update(options.kwargs(pooled=False))
            return kwargs
        database = url.database or ""
        if not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs.update(options.kwargs(pooled=True))
    return kwargs


def build_engine(url: URL, options: EngineOptions, *, variable: str) -> Engine:
    """The sync engine for ``url`` (directories of a SQLite file created now)."""
    target = sync_url(url)
    try:
        engine = create_engine(target, **_prepare(target, options))
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigurationError(_driver_hint(target, variable, exc)) from None
    if target.get_backend_name() == "sqlite":
        _sqlite_transactions(engine, wal=not is_memory_sqlite(target))
    return engine


def build_async_engine(url: URL, options: EngineOptions, *, variable: str) -> AsyncEngine:
    """The async engine for ``url``."""
    from sqlalchemy.ext.asyncio import create_async_engine

    target = async_url(url)
    try:
        engine = create_async_engine(target, **_prepare(target, options))
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigurationError(_driver_hint(target, variable, exc)) from None
    except ArgumentError as exc:
        raise ConfigurationError(
            f"{variable}: {target.drivername} has no asyncio driver ({exc}); use a URL with an async "
            "driver, e.g. postgresql+psycopg:// or sqlite+aiosqlite://"
        ) from None
    if target.get_backend_name() == "sqlite":
        _sqlite_transactions(engine.sync_engine, wal=not is_memory_sqlite(target))
    return engine


def _driver_hint(url: URL, variable: str, exc: BaseException) -> str:
    if url.get_backend_name() == "postgresql":
        return (
            f"{variable}: the PostgreSQL driver for {url.drivername} is not installed ({exc}); "
            "install it with: pip install 'tausestack-database[postgres]'"
        )
    return f"{variable}: cannot load the database driver for {url.drivername} ({exc})"


def _sqlite_transactions(engine: Engine, *, wal: bool) -> None:
    """Let SQLAlchemy emit BEGIN (savepoints then nest), turn foreign keys on, use WAL for files."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
