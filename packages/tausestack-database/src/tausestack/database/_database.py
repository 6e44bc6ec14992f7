"""``Database``: the public face of tausestack.database, over any backend.

``Database()`` reads ``TAUSESTACK_DATABASE_URL`` (default ``sqlite:///.tausestack/app.db``);
``Database("postgresql+psycopg://...")`` or ``Database(backend)`` build independent instances.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tausestack.core import (
    BackendRegistry,
    ConfigurationError,
    UnsupportedOperationError,
    parse_url,
    resolve_secret_reference,
)
from tausestack.database._crud import CrudMethods
from tausestack.database._query import QueryMethods
from tausestack.database._settings import DatabaseSettings
from tausestack.database.backends.base import AbstractDatabaseBackend, Params

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
    from sqlalchemy.orm import Session

__all__ = ["Database", "registry"]

VARIABLE = DatabaseSettings.variable_name("url")

registry: BackendRegistry[AbstractDatabaseBackend] = BackendRegistry("database", variable=VARIABLE)
"""URL scheme → backend (``sqlite``, ``postgresql``, ``supabase``; more through entry points)."""

_SQL_SCHEMES = ("sqlite", "postgresql")


def _build(url: str | None, engine_options: dict[str, Any]) -> AbstractDatabaseBackend:
    settings = DatabaseSettings() if url is None else None
    raw = settings.url if settings is not None else resolve_secret_reference(str(url), variable=VARIABLE)
    parsed = parse_url(raw, variable=VARIABLE)
    options: dict[str, str] = {}
    if settings is not None and parsed.base_scheme in _SQL_SCHEMES:
        options.update(settings.engine_options())
    options.update(parsed.options)
    for name, value in engine_options.items():
        if value is not None:
            options[name] = str(value).lower() if isinstance(value, bool) else str(value)
    if options != dict(parsed.options):
        parsed = replace(parsed, options=options)
    return registry.create(parsed)


class Database(CrudMethods, QueryMethods):
    """A database: CRUD over SQLAlchemy models, transactions, raw SQL, sync and async.

    ``url_or_backend`` is a URL (``sqlite:///app.db``, ``postgresql+psycopg://user@host/db``,
    ``supabase://...``, or ``secret:NAME``), a backend object, or None for
    ``TAUSESTACK_DATABASE_URL``. Pool settings may be given here, in the URL
    (``?pool_size=20``) or in ``TAUSESTACK_DATABASE_POOL_SIZE``...; nothing connects until first use.

    >>> from tausestack.database import Database
    >>> db = Database("sqlite://")
    >>> db.fetch_one("SELECT :a * 2 AS twice", {"a": 21})
    {'twice': 42}
    """

    def __init__(
        self,
        url_or_backend: str | AbstractDatabaseBackend | None = None,
        *,
        pool_size: int | None = None,
        max_overflow: int | None = None,
        pool_timeout: float | None = None,
        pool_recycle: float | None = None,
        pool_pre_ping: bool | None = None,
        echo: bool | None = None,
    ) -> None:
        if isinstance(url_or_backend, AbstractDatabaseBackend):
            self.backend = url_or_backend
        elif url_or_backend is None or isinstance(url_or_backend, str):
            options = {
                "pool_size": pool_size,
                "max_overflow": max_overflow,
                "pool_timeout": pool_timeout,
                "pool_recycle": pool_recycle,
                "pool_pre_ping": pool_pre_ping,
                "echo": echo,
            }
            self.backend = _build(url_or_backend, options)
        else:
            raise ConfigurationError(
                f"Database() takes a URL or a database backend, not {type(url_or_backend).__name__}"
            )

    def __repr__(self) -> str:
        return f"Database({self.describe()!r})"

    @property
    def engine(self) -> Engine:
        """The sync SQLAlchemy engine (SQL backends only)."""
        engine: Engine = getattr(self.backend, "engine")  # noqa: B009 - not every backend has one
        return engine

    @property
    def async_engine(self) -> AsyncEngine:
        """The asyncio SQLAlchemy engine (SQL backends only)."""
        engine: AsyncEngine = getattr(self.backend, "async_engine")  # noqa: B009
        return engine

    # -- transactions ------------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[Session]:
        """A transaction for the current thread or asyncio task; yields its SQLAlchemy ``Session``.

        Every ``db`` call inside the block runs in it. Leaving the block commits; an exception
        rolls back and is re-raised. Nested ``transaction()`` blocks are savepoints: an exception
        inside one rolls back only that block. Other threads and tasks never see the session.
        Raises :class:`~tausestack.core.UnsupportedOperationError` on Supabase (use :meth:`rpc`).

        >>> with db.transaction() as session:                           # doctest: +SKIP
        ...     db.update(Account, 1, {"balance": 90})
        ...     db.update(Account, 2, {"balance": 110})
        """
        return self.backend.transaction()

    def atransaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Async twin of :meth:`transaction` (``async with db.atransaction() as session:``)."""
        return self.backend.atransaction()

    def session(self) -> AbstractContextManager[Session]:
        """The current transaction's ``Session``, or a new transaction when none is open (no savepoint).

        Use it for the full ORM (``session.scalars(select(User))``, relationships); it commits
        with the outermost block.
        """
        return self.backend.session()

    def asession(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Async twin of :meth:`session`."""
        return self.backend.asession()

    # -- raw SQL --------------------------------------------------------------------------------------

    def execute(self, sql: Any, params: Params = None) -> int:
        """Run one statement with bound ``:name`` parameters; the number of rows affected.

        ``params`` is a mapping, or a list of mappings to run the statement once per mapping.
        Values are always sent as bound parameters: never format them into ``sql``.

        >>> db.execute("UPDATE users SET age = age + 1 WHERE id = :id", {"id": 1})   # doctest: +SKIP
        1
        """
        return self.backend.execute(sql, params)

    async def aexecute(self, sql: Any, params: Params = None) -> int:
        """Async twin of :meth:`execute`."""
        return await self.backend.aexecute(sql, params)

    def fetch_all(self, sql: Any, params: Mapping[str, Any] | None = None) -> builtins.list[dict[str, Any]]:
        """Every row of a query with bound ``:name`` parameters, as dictionaries.

        >>> db.fetch_all("SELECT name FROM users WHERE age > :age", {"age": 30})    # doctest: +SKIP
        [{'name': 'Ada'}]
        """
        return self.backend.fetch_all(sql, params)

    async def afetch_all(
        self, sql: Any, params: Mapping[str, Any] | None = None
    ) -> builtins.list[dict[str, Any]]:
        """Async twin of :meth:`fetch_all`."""
        return await self.backend.afetch_all(sql, params)

    def fetch_one(self, sql: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """The first row of a query with bound ``:name`` parameters, or None."""
        return self.backend.fetch_one(sql, params)

    async def afetch_one(self, sql: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """Async twin of :meth:`fetch_one`."""
        return await self.backend.afetch_one(sql, params)

    def rpc(self, function: str, params: Mapping[str, Any] | None = None) -> Any:
        """Call a database function through the backend (Supabase/PostgREST ``rpc``)."""
        rpc = getattr(self.backend, "rpc", None)
        if rpc is None:
            raise UnsupportedOperationError(
                f"{type(self.backend).__name__} has no rpc(); call the function with fetch_all('SELECT ...')"
            )
        return rpc(function, params)

    async def arpc(self, function: str, params: Mapping[str, Any] | None = None) -> Any:
        """Async twin of :meth:`rpc`."""
        arpc = getattr(self.backend, "arpc", None)
        if arpc is None:
            raise UnsupportedOperationError(
                f"{type(self.backend).__name__} has no arpc(); call the function with afetch_all('SELECT ...')"
            )
        return await arpc(function, params)

    # -- lifecycle --------------------------------------------------------------------------------------

    def health(self) -> None:
        """Check the database answers (``SELECT 1``); BackendUnavailableError with the reason if not."""
        self.backend.health()

    async def ahealth(self) -> None:
        """Async twin of :meth:`health`."""
        await self.backend.ahealth()

    def close(self) -> None:
        """Close pooled connections; the next call reconnects. In async code prefer :meth:`aclose`."""
        self.backend.close()

    async def aclose(self) -> None:
        """Async twin of :meth:`close`."""
        await self.backend.aclose()

    def describe(self) -> str:
        """The database URL without its password (opens no connection)."""
        return self.backend.describe()
