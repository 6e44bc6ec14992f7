"""SQLAlchemyBackend: SQLite (the embedded default) and PostgreSQL through SQLAlchemy 2.0.

CRUD runs as SQLAlchemy Core statements on the model's table (RETURNING the row, never a second
SELECT), inside the current thread/task's transaction when one is open. Otherwise a one-statement
operation on PostgreSQL runs in autocommit (one round trip: the statement is atomic on its own,
no BEGIN/COMMIT around it); ``create_many``, raw SQL and SQLite use a transaction of their own. Sync methods use the sync engine, ``a``-methods the native asyncio engine
(aiosqlite, psycopg 3 async or asyncpg).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import URL, Engine, make_url

from tausestack.core import BackendURL
from tausestack.database._engine_pair import EnginePair, translate_errors
from tausestack.database._engines import EngineOptions, split_url
from tausestack.database._errors import RecordNotFoundError
from tausestack.database._filters import OrderBy, Where
from tausestack.database._inputs import batches, bound_params, insert_rows, statement, update_changes
from tausestack.database._models import ModelInfo, Values, model_info
from tausestack.database._scopes import async_session_scope, session_scope
from tausestack.database._select import count_query, find_query
from tausestack.database._statements import (
    delete_by_key,
    insert_many,
    insert_one,
    key_params,
    select_by_key,
    update_by_key,
    upsert_one,
)
from tausestack.database.backends.base import AbstractDatabaseBackend, Params

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
    from sqlalchemy.orm import Session

__all__ = ["SQLAlchemyBackend"]

Schema = type[BaseModel] | None
VARIABLE = "TAUSESTACK_DATABASE_URL"


class SQLAlchemyBackend(AbstractDatabaseBackend):
    """A SQL database through SQLAlchemy: ``sqlite:///path.db`` or ``postgresql+psycopg://...``.

    >>> backend = SQLAlchemyBackend("sqlite://")
    >>> backend.fetch_one("SELECT :n + 1 AS answer", {"n": 41})
    {'answer': 42}
    """

    def __init__(
        self, url: str | URL, *, options: EngineOptions | None = None, variable: str = VARIABLE
    ) -> None:
        self._engines = EnginePair(make_url(url), options or EngineOptions(), variable=variable)
        self._dialect = self._engines.url.get_backend_name()

    @classmethod
    def from_url(cls, url: BackendURL) -> SQLAlchemyBackend:
        """Build from a TauseStack URL (pool options such as ``?pool_size=20`` are read from it)."""
        sa_url, options = split_url(url)
        return cls(sa_url, options=options, variable=url.variable)

    def __repr__(self) -> str:
        return f"SQLAlchemyBackend({self.describe()!r})"

    @property
    def engine(self) -> Engine:
        """The sync SQLAlchemy engine (built on first use)."""
        return self._engines.engine

    @property
    def async_engine(self) -> AsyncEngine:
        """The asyncio SQLAlchemy engine (built on first use)."""
        return self._engines.async_engine

    @property
    def options(self) -> EngineOptions:
        """The connection pool settings."""
        return self._engines.options

    # -- transactions -----------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[Session]:
        """Begin a transaction for this thread/task (a savepoint when one is already open)."""
        return session_scope(self, self._engines.engine, nested=True)

    def atransaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Async twin of :meth:`transaction`."""
        return async_session_scope(self, self._engines.async_engine, nested=True)

    def session(self) -> AbstractContextManager[Session]:
        """Join this thread/task's transaction, or begin one."""
        return session_scope(self, self._engines.engine, nested=False)

    def asession(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Async twin of :meth:`session`."""
        return async_session_scope(self, self._engines.async_engine, nested=False)

    # -- CRUD -------------------------------------------------------------------------------------

    def create(self, model: type[Any], values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        params = info.column_keys(info.values(values, partial=False))
        with translate_errors(info.name), self._engines.connection(self, single=True) as conn:
            row = conn.execute(insert_one(info), params).one()
        return info.row_output(row, schema)

    async def acreate(self, model: type[Any], values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        params = info.column_keys(info.values(values, partial=False))
        with translate_errors(info.name):
            async with self._engines.async_connection(self, single=True) as conn:
                row = (await conn.execute(insert_one(info), params)).one()
        return info.row_output(row, schema)

    def create_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: bool = False, schema: Schema = None
    ) -> int | builtins.list[Any]:
        info = model_info(model)
        params = insert_rows(info, rows)
        if not params:
            return [] if returning else 0
        results: builtins.list[Any] = [None] * len(params)
        with translate_errors(info.name), self._engines.connection(self) as conn:
            for positions, batch in batches(params):
                result = conn.execute(insert_many(info, returning=returning), batch)
                if returning:
                    for position, row in zip(positions, result.all(), strict=True):
                        results[position] = row
        return info.rows_output(results, schema) if returning else len(params)

    async def acreate_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: bool = False, schema: Schema = None
    ) -> int | builtins.list[Any]:
        info = model_info(model)
        params = insert_rows(info, rows)
        if not params:
            return [] if returning else 0
        results: builtins.list[Any] = [None] * len(params)
        with translate_errors(info.name):
            async with self._engines.async_connection(self) as conn:
                for positions, batch in batches(params):
                    result = await conn.execute(insert_many(info, returning=returning), batch)
                    if returning:
                        for position, row in zip(positions, result.all(), strict=True):
                            results[position] = row
        return info.rows_output(results, schema) if returning else len(params)

    def get(self, model: type[Any], key: Any, *, schema: Schema = None) -> Any | None:
        info = model_info(model)
        params = key_params(info, key)
        with self._engines.connection(self, single=True) as conn:
            row = conn.execute(select_by_key(info), params).first()
        return None if row is None else info.row_output(row, schema)

    async def aget(self, model: type[Any], key: Any, *, schema: Schema = None) -> Any | None:
        info = model_info(model)
        params = key_params(info, key)
        async with self._engines.async_connection(self, single=True) as conn:
            row = (await conn.execute(select_by_key(info), params)).first()
        return None if row is None else info.row_output(row, schema)

    def update(self, model: type[Any], key: Any, values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        params = key_params(info, key)
        changes = update_changes(info, key, values)
        if not changes:
            return self._require(info, key, self.get(model, key, schema=schema))
        with translate_errors(info.name), self._engines.connection(self, single=True) as conn:
            row = conn.execute(update_by_key(info), {**params, **changes}).first()
        return info.row_output(self._require(info, key, row), schema)

    async def aupdate(self, model: type[Any], key: Any, values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        params = key_params(info, key)
        changes = update_changes(info, key, values)
        if not changes:
            return self._require(info, key, await self.aget(model, key, schema=schema))
        with translate_errors(info.name):
            async with self._engines.async_connection(self, single=True) as conn:
                row = (await conn.execute(update_by_key(info), {**params, **changes})).first()
        return info.row_output(self._require(info, key, row), schema)

    def delete(self, model: type[Any], key: Any) -> bool:
        info = model_info(model)
        params = key_params(info, key)
        with translate_errors(info.name), self._engines.connection(self, single=True) as conn:
            return bool(conn.execute(delete_by_key(info), params).rowcount)

    async def adelete(self, model: type[Any], key: Any) -> bool:
        info = model_info(model)
        params = key_params(info, key)
        with translate_errors(info.name):
            async with self._engines.async_connection(self, single=True) as conn:
                return bool((await conn.execute(delete_by_key(info), params)).rowcount)

    def find(
        self,
        model: type[Any],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: Schema = None,
    ) -> builtins.list[Any]:
        info = model_info(model)
        stmt, params = find_query(
            info, where, order_by, limit=limit, offset=offset, after=after, dialect=self._dialect
        )
        with self._engines.connection(self, single=True) as conn:
            rows = conn.execute(stmt, params).all()
        return info.rows_output(rows, schema)

    async def afind(
        self,
        model: type[Any],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: Schema = None,
    ) -> builtins.list[Any]:
        info = model_info(model)
        stmt, params = find_query(
            info, where, order_by, limit=limit, offset=offset, after=after, dialect=self._dialect
        )
        async with self._engines.async_connection(self, single=True) as conn:
            rows = (await conn.execute(stmt, params)).all()
        return info.rows_output(rows, schema)

    def count(self, model: type[Any], *, where: Where = None) -> int:
        info = model_info(model)
        stmt, params = count_query(info, where, dialect=self._dialect)
        with self._engines.connection(self, single=True) as conn:
            return int(conn.execute(stmt, params).scalar_one())

    async def acount(self, model: type[Any], *, where: Where = None) -> int:
        info = model_info(model)
        stmt, params = count_query(info, where, dialect=self._dialect)
        async with self._engines.async_connection(self, single=True) as conn:
            return int((await conn.execute(stmt, params)).scalar_one())

    def upsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: Schema = None,
    ) -> Any:
        info = model_info(model)
        stmt = upsert_one(info, self._dialect, info.values(values, partial=False), conflict, update)
        with translate_errors(info.name), self._engines.connection(self, single=True) as conn:
            row = conn.execute(stmt).one()
        return info.row_output(row, schema)

    async def aupsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: Schema = None,
    ) -> Any:
        info = model_info(model)
        stmt = upsert_one(info, self._dialect, info.values(values, partial=False), conflict, update)
        with translate_errors(info.name):
            async with self._engines.async_connection(self, single=True) as conn:
                row = (await conn.execute(stmt)).one()
        return info.row_output(row, schema)

    @staticmethod
    def _require(info: ModelInfo[Any], key: Any, row: Any) -> Any:
        if row is None:
            raise RecordNotFoundError(f"{info.name} {key!r} does not exist")
        return row

    # -- raw SQL ------------------------------------------------------------------------------------

    def execute(self, sql: Any, params: Params = None) -> int:
        stmt, bound = statement(sql), bound_params(params, many=True)
        with self._engines.connection(self) as conn:
            return int(conn.execute(stmt, bound).rowcount)

    async def aexecute(self, sql: Any, params: Params = None) -> int:
        stmt, bound = statement(sql), bound_params(params, many=True)
        async with self._engines.async_connection(self) as conn:
            return int((await conn.execute(stmt, bound)).rowcount)

    def fetch_all(self, sql: Any, params: Mapping[str, Any] | None = None) -> builtins.list[dict[str, Any]]:
        stmt, bound = statement(sql), bound_params(params, many=False)
        with self._engines.connection(self) as conn:
            return [dict(row) for row in conn.execute(stmt, bound).mappings()]

    async def afetch_all(
        self, sql: Any, params: Mapping[str, Any] | None = None
    ) -> builtins.list[dict[str, Any]]:
        stmt, bound = statement(sql), bound_params(params, many=False)
        async with self._engines.async_connection(self) as conn:
            return [dict(row) for row in (await conn.execute(stmt, bound)).mappings()]

    def fetch_one(self, sql: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        stmt, bound = statement(sql), bound_params(params, many=False)
        with self._engines.connection(self) as conn:
            row = conn.execute(stmt, bound).mappings().first()
        return None if row is None else dict(row)

    async def afetch_one(self, sql: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        stmt, bound = statement(sql), bound_params(params, many=False)
        async with self._engines.async_connection(self) as conn:
            row = (await conn.execute(stmt, bound)).mappings().first()
        return None if row is None else dict(row)

    # -- lifecycle ----------------------------------------------------------------------------------

    def health(self) -> None:
        self._engines.health()

    async def ahealth(self) -> None:
        await self._engines.ahealth()

    def close(self) -> None:
        self._engines.close()

    async def aclose(self) -> None:
        await self._engines.aclose()

    def describe(self) -> str:
        return self._engines.describe()
