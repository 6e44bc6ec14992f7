"""PostgREST plumbing for :class:`~tausestack.database.backends.supabase.SupabaseBackend`.

Filters become PostgREST query parameters (values are never spliced into anything but a
PostgREST filter value, and the ``or=(...)`` keyset filter double-quotes every value); rows
come back as JSON and are converted to the model's Python types; PostgREST errors become
TauseStack errors.
"""

from __future__ import annotations

import builtins
import datetime as dt
import decimal
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from tausestack.core import AccessDeniedError, BackendUnavailableError, ConfigurationError
from tausestack.database._errors import IntegrityConflictError, InvalidQueryError, RecordNotFoundError
from tausestack.database._filters import Condition, SortKey
from tausestack.database._models import ModelInfo, Values

__all__ = ["NO_TRANSACTIONS", "run", "arun", "text", "keyset", "filtered", "body", "rows_in", "changes",
           "one", "rows_out", "found", "run_http", "arun_http", "check_status", "function_name"]  # fmt: skip

NO_TRANSACTIONS = (
    "Supabase (PostgREST) has no client-side transactions: each request is its own transaction. "
    "Put multi-statement work in a PostgreSQL function and call it with rpc()"
)
_OPS = {
    "eq": "eq",
    "ne": "neq",
    "lt": "lt",
    "le": "lte",
    "gt": "gt",
    "ge": "gte",
    "like": "like",
    "ilike": "ilike",
}
_PARSE: dict[type, Callable[[str], Any]] = {
    dt.datetime: dt.datetime.fromisoformat,
    dt.date: dt.date.fromisoformat,
    dt.time: dt.time.fromisoformat,
    uuid.UUID: uuid.UUID,
    decimal.Decimal: decimal.Decimal,
}
_FUNCTION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def text(value: Any) -> str:
    """A filter value as PostgREST reads it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _quoted(value: Any) -> str:
    escaped = text(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def filtered(builder: Any, info: ModelInfo[Any], conditions: Sequence[Condition]) -> Any:
    """Apply validated conditions to a postgrest request builder."""
    for condition in conditions:
        name, op, value = info.columns[condition.column].name, condition.op, condition.value
        if op == "in":
            builder = builder.in_(name, [text(item) for item in value])
        elif op == "is_null" or (op in ("eq", "ne") and value is None):
            null = value if op == "is_null" else op == "eq"
            builder = builder.is_(name, "null") if null else builder.not_.is_(name, "null")
        else:
            builder = builder.filter(name, _OPS[op], text(value))
    return builder


def keyset(info: ModelInfo[Any], keys: Sequence[SortKey], after: Sequence[Any]) -> str:
    """The ``or=(...)`` filter selecting rows after ``after`` in ``keys`` order (values quoted)."""
    if not isinstance(after, (list, tuple)) or len(after) != len(keys):
        names = ", ".join(key.column for key in keys)
        raise InvalidQueryError(f"after must hold one value per sort key ({names})")
    branches = []
    for index, key in enumerate(keys):
        if after[index] is None:
            raise InvalidQueryError("keyset pagination needs non-null values in after")
        parts = [f"{info.columns[k.column].name}.eq.{_quoted(after[i])}" for i, k in enumerate(keys[:index])]
        parts.append(
            f"{info.columns[key.column].name}.{'lt' if key.descending else 'gt'}.{_quoted(after[index])}"
        )
        branches.append(parts[0] if len(parts) == 1 else f"and({','.join(parts)})")
    return ",".join(branches)


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    return value


def body(info: ModelInfo[Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON body keyed by column names."""
    return {info.columns[name].name: _json(value) for name, value in values.items()}


def rows_in(info: ModelInfo[Any], rows: Iterable[Values]) -> builtins.list[dict[str, Any]]:
    """Bulk rows validated and keyed by column names."""
    if isinstance(rows, (str, bytes, Mapping)):
        raise InvalidQueryError("create_many takes an iterable of rows")
    return [body(info, info.values(row, partial=False)) for row in rows]


def changes(info: ModelInfo[Any], key: Any, values: Values) -> dict[str, Any]:
    """Update values without the primary key (which may be repeated unchanged, never changed)."""
    out = info.values(values, partial=True)
    for name, value in info.key_values(key).items():
        if name in out:
            if out[name] != value:
                raise InvalidQueryError(f"update cannot change the primary key {name!r} of {info.name}")
            del out[name]
    return out


def _row(info: ModelInfo[Any], data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attribute, column in info.columns.items():
        if column.name not in data:
            continue
        value = data[column.name]
        if isinstance(value, str):
            try:
                parse = _PARSE.get(column.type.python_type)
            except NotImplementedError:
                parse = None
            if parse is not None:
                value = parse(value)
        out[attribute] = value
    return out


def one(info: ModelInfo[Any], data: Any, schema: type[BaseModel] | None) -> Any:
    """The first returned row as a model or ``schema`` instance."""
    row = data[0] if isinstance(data, list) else data
    return info.one(_row(info, row), schema)


def rows_out(info: ModelInfo[Any], data: Any, schema: type[BaseModel] | None) -> builtins.list[Any]:
    """Returned rows as model or ``schema`` instances."""
    return info.output([_row(info, row) for row in data or []], schema)


def found(info: ModelInfo[Any], key: Any, value: Any) -> Any:
    """``value``, or RecordNotFoundError when it is None."""
    if value is None:
        raise RecordNotFoundError(f"{info.name} {key!r} does not exist")
    return value


def function_name(name: str) -> str:
    """Refuse a function name that is not a plain identifier."""
    if not isinstance(name, str) or not _FUNCTION.match(name):
        raise InvalidQueryError(f"rpc function names are identifiers, not {name!r}")
    return name


def _translate(exc: Exception) -> Exception:
    from postgrest.exceptions import APIError

    if isinstance(exc, APIError):
        code = str(exc.code or "")
        message = str(exc.message or "PostgREST refused the request")
        if code.startswith("23"):
            return IntegrityConflictError(f"the database refused the write: {message}")
        if code in ("42501", "PGRST301", "PGRST302") or code.startswith("401"):
            return AccessDeniedError(f"Supabase refused the request ({code}): {message}")
        if code.startswith(("42", "PGRST1")):
            return InvalidQueryError(f"PostgREST refused the query ({code}): {message}")
        return BackendUnavailableError(f"PostgREST error {code}: {message}")
    return BackendUnavailableError(f"Supabase is not reachable: {type(exc).__name__}: {exc}")


def run(execute: Callable[[], Any], *, count: bool = False) -> Any:
    """Execute a request: its ``data`` (or ``count``), errors translated."""
    import httpx
    from postgrest.exceptions import APIError

    try:
        response = execute()
    except (APIError, httpx.HTTPError) as exc:
        raise _translate(exc) from None
    return response.count if count else response.data


async def arun(execute: Callable[[], Awaitable[Any]], *, count: bool = False) -> Any:
    """Async twin of :func:`run`."""
    import httpx
    from postgrest.exceptions import APIError

    try:
        response = await execute()
    except (APIError, httpx.HTTPError) as exc:
        raise _translate(exc) from None
    return response.count if count else response.data


def run_http(call: Callable[[], Any]) -> Any:
    """A raw HTTP call, transport errors as BackendUnavailableError."""
    import httpx

    try:
        return call()
    except httpx.HTTPError as exc:
        raise BackendUnavailableError(f"Supabase is not reachable: {type(exc).__name__}") from None


async def arun_http(call: Callable[[], Awaitable[Any]]) -> Any:
    """Async twin of :func:`run_http`."""
    import httpx

    try:
        return await call()
    except httpx.HTTPError as exc:
        raise BackendUnavailableError(f"Supabase is not reachable: {type(exc).__name__}") from None


def check_status(response: Any, where: str) -> None:
    """Health: a 401/403 is a configuration problem, a 5xx an unavailable backend."""
    status = int(response.status_code)
    if status in (401, 403):
        raise ConfigurationError(f"{where} refused the apikey (HTTP {status})")
    if status >= 500:
        raise BackendUnavailableError(f"{where} answered HTTP {status}")
