"""The sync/async engine pair of one database URL, built lazily, with connection scoping.

:class:`EnginePair` owns the engines (built on first use, disposed by :meth:`close`, rebuilt on
next use) and hands out connections: the current thread/task's transaction when one is open
(see :mod:`tausestack.database._scopes`), otherwise a short transaction of its own that commits
when the operation ends. An operation that is one statement (``single=True``: insert, select,
update, delete or upsert of one row or query) needs no BEGIN/COMMIT around it on PostgreSQL, where
every statement is atomic on its own: it runs on an AUTOCOMMIT view of the same pool, one round
trip instead of three. Several statements (``create_many``'s executemany, raw SQL) keep the
transaction.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import URL, Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from tausestack.core import BackendUnavailableError, in_event_loop, redact_url, run_async
from tausestack.database._engines import EngineOptions, build_async_engine, build_engine
from tausestack.database._errors import IntegrityConflictError
from tausestack.database._scopes import current_async_session, current_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["EnginePair", "translate_errors"]


class EnginePair:
    """Lazily built sync and async engines for one URL."""

    def __init__(self, url: URL, options: EngineOptions, *, variable: str) -> None:
        self.url = url
        self.options = options
        self.variable = variable
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._async_engine: AsyncEngine | None = None
        self._autocommit = url.get_backend_name() == "postgresql"
        self._single: Engine | None = None
        self._async_single: AsyncEngine | None = None

    @property
    def engine(self) -> Engine:
        """The sync engine (built on first use)."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = build_engine(self.url, self.options, variable=self.variable)
                engine = self._engine
        return engine

    @property
    def async_engine(self) -> AsyncEngine:
        """The async engine (built on first use)."""
        engine = self._async_engine
        if engine is None:
            with self._lock:
                if self._async_engine is None:
                    self._async_engine = build_async_engine(self.url, self.options, variable=self.variable)
                engine = self._async_engine
        return engine

    def describe(self) -> str:
        """The URL without its password."""
        return self.url.render_as_string(hide_password=True)

    # -- connections -----------------------------------------------------------------------------

    def _single_engine(self) -> Engine:
        engine = self._single
        if engine is None:
            engine = self.engine
            if self._autocommit:
                engine = engine.execution_options(isolation_level="AUTOCOMMIT")
            self._single = engine
        return engine

    def _async_single_engine(self) -> AsyncEngine:
        engine = self._async_single
        if engine is None:
            engine = self.async_engine
            if self._autocommit:
                engine = engine.execution_options(isolation_level="AUTOCOMMIT")
            self._async_single = engine
        return engine

    @contextmanager
    def connection(self, owner: object, *, single: bool = False) -> Iterator[Connection]:
        """The current transaction's connection (pending ORM changes flushed), or a new one.

        ``single``: the caller runs one statement, which needs no transaction of its own.
        """
        session = current_session(owner)
        if session is not None:
            if session.new or session.dirty or session.deleted:
                session.flush()
            yield session.connection()
            return
        with (self._single_engine() if single else self.engine).begin() as connection:
            yield connection

    @asynccontextmanager
    async def async_connection(
        self, owner: object, *, single: bool = False
    ) -> AsyncIterator[AsyncConnection]:
        """Async twin of :meth:`connection`."""
        session = current_async_session(owner)
        if session is not None:
            if session.new or session.dirty or session.deleted:
                await session.flush()
            yield await session.connection()
            return
        async with (self._async_single_engine() if single else self.async_engine).begin() as connection:
            yield connection

    # -- lifecycle ------------------------------------------------------------------------------

    def health(self) -> None:
        """``SELECT 1`` on the sync engine; BackendUnavailableError when it fails."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except (SQLAlchemyError, OSError) as exc:
            raise self._unavailable(exc) from None

    async def ahealth(self) -> None:
        """``SELECT 1`` on the async engine."""
        try:
            async with self.async_engine.connect() as connection:
                await connection.exec_driver_sql("SELECT 1")
        except (SQLAlchemyError, OSError) as exc:
            raise self._unavailable(exc) from None

    def _unavailable(self, exc: BaseException) -> BackendUnavailableError:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        first = redact_url(detail[0]) if detail else type(exc).__name__
        return BackendUnavailableError(f"database {self.describe()} is not available: {first}")

    def close(self) -> None:
        """Dispose both engines (the async one is awaited when no event loop is running)."""
        with self._lock:
            engine, self._engine = self._engine, None
            async_engine, self._async_engine = self._async_engine, None
            self._single = self._async_single = None
        if engine is not None:
            engine.dispose()
        if async_engine is not None:
            if in_event_loop():
                async_engine.sync_engine.dispose(close=False)
            else:
                run_async(async_engine.dispose)

    async def aclose(self) -> None:
        """Dispose both engines, awaiting the async one."""
        with self._lock:
            engine, self._engine = self._engine, None
            async_engine, self._async_engine = self._async_engine, None
            self._single = self._async_single = None
        if engine is not None:
            engine.dispose()
        if async_engine is not None:
            await async_engine.dispose()


@contextmanager
def translate_errors(model: str) -> Iterator[None]:
    """Turn a constraint failure into :class:`IntegrityConflictError` (no row values in it)."""
    try:
        yield
    except IntegrityError as exc:
        lines = str(exc.orig).strip().splitlines()
        reason = lines[0] if lines else "constraint failed"
        raise IntegrityConflictError(f"{model}: the database refused the write: {reason}") from exc
