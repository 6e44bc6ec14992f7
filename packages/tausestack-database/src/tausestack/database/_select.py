"""SELECT statements for ``find`` and ``count``, cached per model and query shape.

Building a ``select()`` and its cache key costs more than running a small query, so on
PostgreSQL and SQLite a statement is built once per *shape* (model, filter columns and
operators, sort keys, whether there is a limit/offset/keyset position) with every value a named
bound parameter, and later calls only supply the parameters. A value is only bound that way when
SQLAlchemy would give it the column's own type anyway (``coerce_compared_value``); anything else
(e.g. a string compared with a date column) and other dialects take the uncached path, which
builds the statement with literal values exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, func, select
from sqlalchemy.sql import operators

from tausestack.database._errors import InvalidQueryError
from tausestack.database._filters import (
    Condition,
    OrderBy,
    SortKey,
    Where,
    check_after,
    check_limit,
    keyset_clause,
    keyset_order,
    order_clause,
    parse_order,
    parse_where,
    where_clause,
)
from tausestack.database._models import ModelInfo

__all__ = ["find_query", "count_query", "select_rows", "count_rows"]

CACHE_SIZE = 256
"""Shapes kept per model; the cache starts over when full (a miss only costs a build)."""

_BOUND_DIALECTS = frozenset({"postgresql", "sqlite"})
_OPERATORS: dict[str, Any] = {
    "eq": operators.eq,
    "ne": operators.ne,
    "lt": operators.lt,
    "le": operators.le,
    "gt": operators.gt,
    "ge": operators.ge,
    "in": operators.in_op,
    "like": operators.like_op,
    "ilike": operators.ilike_op,
}
_LIMIT = bindparam("tausestack_limit", type_=Integer())
_OFFSET = bindparam("tausestack_offset", type_=Integer())

Query = tuple[Select[Any], dict[str, Any]]


def find_query(
    info: ModelInfo[Any],
    where: Where,
    order_by: OrderBy,
    *,
    limit: int | None,
    offset: int | None,
    after: Sequence[Any] | None,
    dialect: str,
) -> Query:
    """The validated SELECT of ``find`` and its parameters (:class:`InvalidQueryError` first)."""
    check_limit(limit, offset)
    conditions, order = parse_where(info, where), parse_order(info, order_by)
    if after is not None:
        if offset:
            raise InvalidQueryError("use either offset or after (keyset pagination), not both")
        order = keyset_order(info, order)
        check_after(order, after)
    shape = _shape(info, conditions) if dialect in _BOUND_DIALECTS else None
    if shape is not None and after is not None:
        shape = _after_shape(info, order, after, shape)
    if shape is None:
        return select_rows(info, conditions, order, limit=limit, offset=offset, after=after), {}
    key, params = shape
    cache_key = ("find", key, tuple(order), limit is not None, bool(offset), after is not None)
    stmt: Select[Any] | None = info.queries.get(cache_key)
    if stmt is None:
        stmt = _remember(info, cache_key, _bound_select(info, conditions, order, limit, offset, after))
    if limit is not None:
        params["tausestack_limit"] = limit
    if offset:
        params["tausestack_offset"] = offset
    return stmt, params


def count_query(info: ModelInfo[Any], where: Where, *, dialect: str) -> Query:
    """The validated ``SELECT count(*)`` of ``count`` and its parameters."""
    conditions = parse_where(info, where)
    shape = _shape(info, conditions) if dialect in _BOUND_DIALECTS else None
    if shape is None:
        return count_rows(info, conditions), {}
    key, params = shape
    cache_key = ("count", key)
    stmt: Select[Any] | None = info.queries.get(cache_key)
    if stmt is None:
        stmt = _remember(info, cache_key, count_rows(info, _bound_conditions(info, conditions)))
    return stmt, params


def select_rows(
    info: ModelInfo[Any],
    conditions: Sequence[Condition],
    order: Sequence[SortKey],
    *,
    limit: int | None,
    offset: int | None,
    after: Sequence[Any] | None,
) -> Select[Any]:
    """SELECT rows matching ``conditions``; with ``after`` (checked), rows after it in ``order``."""
    stmt = select(*info.selectable)
    clause = where_clause(info, conditions)
    if after is not None:
        keyset = keyset_clause(info, order, after)
        clause = keyset if clause is None else and_(clause, keyset)
    if clause is not None:
        stmt = stmt.where(clause)
    if order:
        stmt = stmt.order_by(*order_clause(info, order))
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return stmt


def count_rows(info: ModelInfo[Any], conditions: Sequence[Condition]) -> Select[Any]:
    """SELECT count(*) of the rows matching ``conditions``."""
    stmt = select(func.count()).select_from(info.table)
    clause = where_clause(info, conditions)
    return stmt if clause is None else stmt.where(clause)


# -- shapes -----------------------------------------------------------------------------------


def _bindable(info: ModelInfo[Any], column: str, op: str, value: Any) -> bool:
    """Whether SQLAlchemy binds ``value`` with the column's own type (so a cached bind is exact)."""
    column_type = info.columns[column].type
    return column_type.coerce_compared_value(_OPERATORS[op], value) is column_type


def _shape(info: ModelInfo[Any], conditions: Sequence[Condition]) -> tuple[Any, dict[str, Any]] | None:
    """The cache key part and parameters of ``conditions``; None when one cannot be bound exactly."""
    key: list[tuple[str, str, object]] = []
    params: dict[str, Any] = {}
    for index, condition in enumerate(conditions):
        column, op, value = condition.column, condition.op, condition.value
        if op == "is_null" or value is None:
            key.append((column, op, value))  # no parameter: IS [NOT] NULL
        elif op == "in" and not value:
            key.append((column, op, "empty"))  # no parameter: false()
        elif _bindable(info, column, op, value[0] if op == "in" else value):
            key.append((column, op, "bound"))
            params[f"tausestack_w{index}"] = value
        else:
            return None
    return tuple(key), params


def _after_shape(
    info: ModelInfo[Any], order: Sequence[SortKey], after: Sequence[Any], shape: tuple[Any, dict[str, Any]]
) -> tuple[Any, dict[str, Any]] | None:
    key, params = shape
    for index, (sort_key, value) in enumerate(zip(order, after, strict=True)):
        compare = "lt" if sort_key.descending else "gt"
        if not (
            _bindable(info, sort_key.column, compare, value) and _bindable(info, sort_key.column, "eq", value)
        ):
            return None
        params[f"tausestack_after{index}"] = value
    return key, params


def _bound_conditions(info: ModelInfo[Any], conditions: Sequence[Condition]) -> list[Condition]:
    """``conditions`` with each bound value replaced by its named parameter (see :func:`_shape`)."""
    out: list[Condition] = []
    for index, condition in enumerate(conditions):
        column, op, value = condition.column, condition.op, condition.value
        if not (op == "is_null" or value is None or (op == "in" and not value)):
            column_type = info.columns[column].type
            value = bindparam(f"tausestack_w{index}", type_=column_type, expanding=op == "in")
        out.append(Condition(column, op, value))
    return out


def _bound_select(
    info: ModelInfo[Any],
    conditions: Sequence[Condition],
    order: Sequence[SortKey],
    limit: int | None,
    offset: int | None,
    after: Sequence[Any] | None,
) -> Select[Any]:
    keyset = None
    if after is not None:
        types = [info.columns[key.column].type for key in order]
        keyset = [bindparam(f"tausestack_after{i}", type_=types[i]) for i in range(len(after))]
    stmt = select_rows(
        info, _bound_conditions(info, conditions), order, limit=None, offset=None, after=keyset
    )
    if limit is not None:
        stmt = stmt.limit(_LIMIT)
    if offset:
        stmt = stmt.offset(_OFFSET)
    return stmt


def _remember(info: ModelInfo[Any], key: tuple[Any, ...], stmt: Select[Any]) -> Select[Any]:
    queries = info.queries
    if len(queries) >= CACHE_SIZE:
        queries.clear()
    queries[key] = stmt
    return stmt
