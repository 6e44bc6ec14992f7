"""SupabaseBackend: the same CRUD interface over Supabase's REST API (PostgREST), plus ``rpc()``.

URL: ``supabase://PROJECT.supabase.co?apikey=secret:SUPABASE_SERVICE_KEY`` (options: ``apikey``
— required, may be ``secret:NAME``; ``schema`` default ``public``; ``secure`` default true, false
for a local ``http://`` stack; ``timeout`` default 30s). Requests go to ``/rest/v1`` with the key
as ``apikey`` and bearer token, so row-level security applies as for that key.

What it cannot do, by design of PostgREST: client-side transactions (``transaction()``,
``session()``), raw SQL (``execute``/``fetch_*``), and ``upsert(update=[...])`` with a subset of
the given columns. Every request is its own transaction: put multi-statement work in a
PostgreSQL function and call it with :meth:`SupabaseBackend.rpc`. Tested against recorded
PostgREST responses (no PostgREST server runs in CI).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from tausestack.core import (
    BackendURL,
    ConfigurationError,
    UnsupportedOperationError,
    resolve_secret_reference,
)
from tausestack.database._errors import InvalidQueryError
from tausestack.database._filters import OrderBy, Where, check_limit, keyset_order, parse_order, parse_where
from tausestack.database._models import ModelInfo, Values, model_info
from tausestack.database.backends._postgrest import (
    NO_TRANSACTIONS,
    arun,
    arun_http,
    body,
    changes,
    check_status,
    filtered,
    found,
    function_name,
    keyset,
    one,
    rows_in,
    rows_out,
    run,
    run_http,
    text,
)
from tausestack.database.backends.base import AbstractDatabaseBackend

__all__ = ["SupabaseBackend"]

Schema = type[BaseModel] | None
_OPTIONS = frozenset({"apikey", "schema", "secure", "timeout"})


class SupabaseBackend(AbstractDatabaseBackend):
    """CRUD over PostgREST with the same models, filters and schemas as :class:`SQLAlchemyBackend`.

    >>> backend = SupabaseBackend("https://abc.supabase.co/rest/v1", apikey="service-key")
    >>> backend.describe()
    'supabase://abc.supabase.co/rest/v1'
    """

    def __init__(self, rest_url: str, *, apikey: str, schema: str = "public", timeout: float = 30.0) -> None:
        if not apikey:
            raise ConfigurationError("SupabaseBackend needs an apikey (the anon or service-role key)")
        self.rest_url = rest_url.rstrip("/")
        self.schema = schema
        self.timeout = timeout
        self._headers = {"apikey": apikey, "Authorization": f"Bearer {apikey}"}
        self._client: Any = None
        self._async_client: Any = None

    @classmethod
    def from_url(cls, url: BackendURL) -> SupabaseBackend:
        """Build from ``supabase://HOST[:PORT][/path]?apikey=...&schema=...&secure=...``."""
        url.check_options(_OPTIONS)
        if not url.host:
            raise ConfigurationError(f"{url.variable}: a supabase:// URL needs the project host")
        apikey = resolve_secret_reference(url.require("apikey"), variable=f"{url.variable} apikey")
        scheme = "https" if url.option_bool("secure", True) else "http"
        port = f":{url.port}" if url.port else ""
        rest = f"{scheme}://{url.host}{port}{url.path.rstrip('/') or '/rest/v1'}"
        return cls(rest, apikey=apikey, schema=url.option("schema", "public") or "public",
                   timeout=url.option_duration("timeout", 30.0) or 30.0)  # fmt: skip

    def __repr__(self) -> str:
        return f"SupabaseBackend({self.describe()!r})"

    def describe(self) -> str:
        return "supabase://" + self.rest_url.split("://", 1)[1]

    # -- clients ---------------------------------------------------------------------------------

    @property
    def client(self) -> Any:
        """The ``postgrest.SyncPostgrestClient`` (built on first use)."""
        if self._client is None:
            import httpx
            from postgrest import SyncPostgrestClient

            http = httpx.Client(base_url=self.rest_url, headers=self._headers, timeout=self.timeout)
            self._client = SyncPostgrestClient(
                self.rest_url, schema=self.schema, headers=self._headers, http_client=http
            )
        return self._client

    @property
    def async_client(self) -> Any:
        """The ``postgrest.AsyncPostgrestClient`` (built on first use)."""
        if self._async_client is None:
            import httpx
            from postgrest import AsyncPostgrestClient

            http = httpx.AsyncClient(base_url=self.rest_url, headers=self._headers, timeout=self.timeout)
            self._async_client = AsyncPostgrestClient(
                self.rest_url, schema=self.schema, headers=self._headers, http_client=http
            )
        return self._async_client

    # -- request building (shared by sync and async) -----------------------------------------------

    def _insert(
        self, client: Any, info: ModelInfo[Any], rows: builtins.list[dict[str, Any]], returning: bool
    ) -> Any:
        from postgrest.types import ReturnMethod

        method = ReturnMethod.representation if returning else ReturnMethod.minimal
        body = rows[0] if len(rows) == 1 else rows
        return client.from_(info.table.name).insert(body, returning=method, default_to_null=False)

    def _by_key(self, builder: Any, info: ModelInfo[Any], key: Any) -> Any:
        for name, value in info.key_values(key).items():
            builder = builder.eq(info.columns[name].name, text(value))
        return builder

    def _find(self, client: Any, info: ModelInfo[Any], where: Where, order_by: OrderBy, limit: int | None,
              offset: int | None, after: Sequence[Any] | None) -> Any:  # fmt: skip
        check_limit(limit, offset)
        conditions = parse_where(info, where)
        order = parse_order(info, order_by)
        builder = filtered(client.from_(info.table.name).select("*"), info, conditions)
        if after is not None:
            if offset:
                raise InvalidQueryError("use either offset or after (keyset pagination), not both")
            order = keyset_order(info, order)
            builder = builder.or_(keyset(info, order, after))
        for key in order:
            builder = builder.order(info.columns[key.column].name, desc=key.descending)
        if limit is not None:
            builder = builder.limit(limit)
        if offset:
            builder = builder.offset(offset)
        return builder

    def _upsert(self, client: Any, info: ModelInfo[Any], values: dict[str, Any], conflict: Sequence[str] | None,
                update: Sequence[str] | None) -> tuple[Any, builtins.list[str]]:  # fmt: skip
        targets = list(conflict) if conflict is not None else list(info.primary_key)
        if isinstance(conflict, str) or not targets:
            raise InvalidQueryError("conflict is a list of column names, e.g. conflict=['email']")
        for name in targets:
            info.column(name, purpose="conflict column")
            if name not in values:
                raise InvalidQueryError(f"upsert on {name!r} needs a value for {name!r}")
        others = [name for name in values if name not in targets]
        ignore = update is not None and not list(update)
        if update is not None and list(update) and sorted(update) != sorted(others):
            raise UnsupportedOperationError(
                "PostgREST upserts update every given column: pass only the columns to write, or update=None"
            )
        on_conflict = ",".join(info.columns[name].name for name in targets)
        payload = body(info, values)
        return client.from_(info.table.name).upsert(
            payload, on_conflict=on_conflict, ignore_duplicates=ignore
        ), targets

    # -- CRUD ----------------------------------------------------------------------------------------

    def create(self, model: type[Any], values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        builder = self._insert(self.client, info, [body(info, info.values(values, partial=False))], True)
        return one(info, run(builder.execute), schema)

    async def acreate(self, model: type[Any], values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        builder = self._insert(
            self.async_client, info, [body(info, info.values(values, partial=False))], True
        )
        return one(info, await arun(builder.execute), schema)

    def create_many(self, model: type[Any], rows: Iterable[Values], *, returning: bool = False,
                    schema: Schema = None) -> int | builtins.list[Any]:  # fmt: skip
        info = model_info(model)
        body = rows_in(info, rows)
        if not body:
            return [] if returning else 0
        data = run(self._insert(self.client, info, body, returning).execute)
        return rows_out(info, data, schema) if returning else len(body)

    async def acreate_many(self, model: type[Any], rows: Iterable[Values], *, returning: bool = False,
                           schema: Schema = None) -> int | builtins.list[Any]:  # fmt: skip
        info = model_info(model)
        body = rows_in(info, rows)
        if not body:
            return [] if returning else 0
        data = await arun(self._insert(self.async_client, info, body, returning).execute)
        return rows_out(info, data, schema) if returning else len(body)

    def get(self, model: type[Any], key: Any, *, schema: Schema = None) -> Any | None:
        info = model_info(model)
        data = run(self._by_key(self.client.from_(info.table.name).select("*"), info, key).limit(1).execute)
        return one(info, data, schema) if data else None

    async def aget(self, model: type[Any], key: Any, *, schema: Schema = None) -> Any | None:
        info = model_info(model)
        builder = self._by_key(self.async_client.from_(info.table.name).select("*"), info, key).limit(1)
        data = await arun(builder.execute)
        return one(info, data, schema) if data else None

    def update(self, model: type[Any], key: Any, values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        update = body(info, changes(info, key, values))
        if not update:
            return found(info, key, self.get(model, key, schema=schema))
        data = run(self._by_key(self.client.from_(info.table.name).update(update), info, key).execute)
        return one(info, found(info, key, data or None), schema)

    async def aupdate(self, model: type[Any], key: Any, values: Values, *, schema: Schema = None) -> Any:
        info = model_info(model)
        update = body(info, changes(info, key, values))
        if not update:
            return found(info, key, await self.aget(model, key, schema=schema))
        builder = self._by_key(self.async_client.from_(info.table.name).update(update), info, key)
        return one(info, found(info, key, await arun(builder.execute) or None), schema)

    def delete(self, model: type[Any], key: Any) -> bool:
        info = model_info(model)
        return bool(run(self._by_key(self.client.from_(info.table.name).delete(), info, key).execute))

    async def adelete(self, model: type[Any], key: Any) -> bool:
        info = model_info(model)
        builder = self._by_key(self.async_client.from_(info.table.name).delete(), info, key)
        return bool(await arun(builder.execute))

    def find(self, model: type[Any], *, where: Where = None, order_by: OrderBy = None, limit: int | None = None,
             offset: int | None = None, after: Sequence[Any] | None = None,
             schema: Schema = None) -> builtins.list[Any]:  # fmt: skip
        info = model_info(model)
        return rows_out(
            info, run(self._find(self.client, info, where, order_by, limit, offset, after).execute), schema
        )

    async def afind(self, model: type[Any], *, where: Where = None, order_by: OrderBy = None,
                    limit: int | None = None, offset: int | None = None, after: Sequence[Any] | None = None,
                    schema: Schema = None) -> builtins.list[Any]:  # fmt: skip
        info = model_info(model)
        builder = self._find(self.async_client, info, where, order_by, limit, offset, after)
        return rows_out(info, await arun(builder.execute), schema)

    def count(self, model: type[Any], *, where: Where = None) -> int:
        from postgrest.types import CountMethod

        info = model_info(model)
        builder = self.client.from_(info.table.name).select("*", count=CountMethod.exact, head=True)
        return int(run(filtered(builder, info, parse_where(info, where)).execute, count=True) or 0)

    async def acount(self, model: type[Any], *, where: Where = None) -> int:
        from postgrest.types import CountMethod

        info = model_info(model)
        builder = self.async_client.from_(info.table.name).select("*", count=CountMethod.exact, head=True)
        return int(await arun(filtered(builder, info, parse_where(info, where)).execute, count=True) or 0)

    def upsert(self, model: type[Any], values: Values, *, conflict: Sequence[str] | None = None,
               update: Sequence[str] | None = None, schema: Schema = None) -> Any:  # fmt: skip
        info = model_info(model)
        given = info.values(values, partial=False)
        builder, targets = self._upsert(self.client, info, given, conflict, update)
        data = run(builder.execute)
        if data:
            return one(info, data, schema)
        existing = self.find(model, where={name: given[name] for name in targets}, limit=1, schema=schema)
        return found(info, targets, existing[0] if existing else None)

    async def aupsert(self, model: type[Any], values: Values, *, conflict: Sequence[str] | None = None,
                      update: Sequence[str] | None = None, schema: Schema = None) -> Any:  # fmt: skip
        info = model_info(model)
        given = info.values(values, partial=False)
        builder, targets = self._upsert(self.async_client, info, given, conflict, update)
        data = await arun(builder.execute)
        if data:
            return one(info, data, schema)
        existing = await self.afind(
            model, where={name: given[name] for name in targets}, limit=1, schema=schema
        )
        return found(info, targets, existing[0] if existing else None)

    # -- server-side functions, health, lifecycle ----------------------------------------------------

    def rpc(self, function: str, params: Mapping[str, Any] | None = None) -> Any:
        """Call the PostgreSQL function ``function`` (one server-side transaction); its JSON result.

        >>> backend.rpc("transfer", {"source": 1, "target": 2, "amount": 10})   # doctest: +SKIP
        """
        return run(self.client.rpc(function_name(function), dict(params or {})).execute)

    async def arpc(self, function: str, params: Mapping[str, Any] | None = None) -> Any:
        """Async twin of :meth:`rpc`."""
        return await arun(self.async_client.rpc(function_name(function), dict(params or {})).execute)

    def transaction(self) -> Any:
        raise UnsupportedOperationError(NO_TRANSACTIONS)

    def atransaction(self) -> Any:
        raise UnsupportedOperationError(NO_TRANSACTIONS)

    def health(self) -> None:
        check_status(run_http(lambda: self.client.session.head("/")), self.describe())

    async def ahealth(self) -> None:
        response = await arun_http(lambda: self.async_client.session.head("/"))
        check_status(response, self.describe())

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.session.close()
        self._async_client = None  # an async client is closed by aclose(); here it is only dropped

    async def aclose(self) -> None:
        async_client, self._async_client = self._async_client, None
        if async_client is not None:
            await async_client.session.aclose()
        client, self._client = self._client, None
        if client is not None:
            client.session.close()
