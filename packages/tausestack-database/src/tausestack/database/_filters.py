"""Filters, sort strings and keyset pagination, validated against a model's columns.

Filter syntax (a ``where`` mapping; keys are ``column`` or ``column__operator``)::

    where={"name": "Ada"}                 # eq (None means IS NULL)
    where={"age__gt": 30, "age__le": 65}  # several conditions are AND-ed
    where={"id__in": [1, 2, 3]}           # in takes a list, tuple or set
    where={"email__like": "%@acme.io"}    # like / ilike take a pattern string
    where={"deleted_at__is_null": True}   # is_null takes True or False

A sequence of ``(column, operator, value)`` triples is accepted too. Operators: ``eq ne lt le
gt ge in like ilike is_null``. Sort strings are column names, ``-`` in front for descending:
``order_by="-age"`` or ``order_by=["last_name", "-age"]``.

Column names and operators are checked against the model before anything is built, and
values only ever become bound parameters: an unknown column, operator or sort string raises
:class:`~tausestack.database.InvalidQueryError`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, false, or_
from sqlalchemy.sql import ClauseElement

from tausestack.database._errors import InvalidQueryError
from tausestack.database._models import ModelInfo

__all__ = [
    "OPERATORS",
    "Condition",
    "SortKey",
    "Where",
    "OrderBy",
    "parse_where",
    "parse_order",
    "where_clause",
    "order_clause",
    "keyset_order",
    "keyset_clause",
    "check_after",
    "check_limit",
]

OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "like", "ilike", "is_null")
_OPERATOR_SET = frozenset(OPERATORS)
_SORT = re.compile(r"^([+-]?)([A-Za-z_][A-Za-z0-9_]*)$")

Where = Mapping[str, Any] | Sequence[tuple[str, str, Any]] | None
OrderBy = str | Sequence[str] | None


@dataclass(frozen=True)
class Condition:
    """One validated filter: ``column`` ``op`` ``value``."""

    column: str
    op: str
    value: Any


@dataclass(frozen=True)
class SortKey:
    """One validated sort key."""

    column: str
    descending: bool


def parse_where(info: ModelInfo[Any], where: Where) -> list[Condition]:
    """Validate ``where`` against the model's columns (see the module docstring)."""
    if where is None:
        return []
    triples: Iterable[tuple[Any, Any, Any]]
    if isinstance(where, Mapping):
        triples = ((*_split_key(info, key), value) for key, value in where.items())
    elif isinstance(where, (list, tuple)):
        triples = []
        for item in where:
            if not isinstance(item, (list, tuple)) or len(item) != 3:
                raise InvalidQueryError(
                    f"a filter list holds (column, operator, value) triples, not {_show(item)}"
                )
            triples.append((item[0], item[1], item[2]))
    else:
        raise InvalidQueryError(
            f"where must be a mapping like {{'age__gt': 30}} or a list of (column, operator, value), "
            f"not {type(where).__name__}"
        )
    return [_condition(info, column, op, value) for column, op, value in triples]


def _split_key(info: ModelInfo[Any], key: object) -> tuple[Any, Any]:
    if not isinstance(key, str):
        raise InvalidQueryError(f"filter keys are strings like 'age__gt', not {_show(key)}")
    if key in info.column_names or "__" not in key:
        return key, "eq"
    column, _, op = key.rpartition("__")
    return column, op


def _condition(info: ModelInfo[Any], column: Any, op: Any, value: Any) -> Condition:
    if not isinstance(op, str) or op not in _OPERATOR_SET:
        raise InvalidQueryError(f"unknown filter operator {_show(op)}; operators: {', '.join(OPERATORS)}")
    info.column(column, purpose="filter column")
    if isinstance(value, ClauseElement):
        raise InvalidQueryError(f"filter {column}__{op}: values must be plain data, not SQL expressions")
    if op == "in":
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
            raise InvalidQueryError(f"filter {column}__in takes a list, tuple or set, not {_show(value)}")
        value = list(value)
        for item in value:
            if isinstance(item, ClauseElement):
                raise InvalidQueryError(f"filter {column}__in: values must be plain data")
    elif op in ("like", "ilike"):
        if not isinstance(value, str):
            raise InvalidQueryError(f"filter {column}__{op} takes a pattern string, not {_show(value)}")
    elif op == "is_null":
        if not isinstance(value, bool):
            raise InvalidQueryError(f"filter {column}__is_null takes True or False, not {_show(value)}")
    elif value is None and op not in ("eq", "ne"):
        raise InvalidQueryError(f"filter {column}__{op} cannot compare with None; use {column}__is_null")
    return Condition(column, op, value)


def parse_order(info: ModelInfo[Any], order_by: OrderBy) -> list[SortKey]:
    """Validate sort strings (``"name"``, ``"-age"``) against the model's columns."""
    if order_by is None:
        return []
    items = [order_by] if isinstance(order_by, str) else order_by
    if not isinstance(items, (list, tuple)):
        raise InvalidQueryError(f"order_by is a column name or a list of them, not {type(order_by).__name__}")
    keys: list[SortKey] = []
    for item in items:
        match = _SORT.match(item) if isinstance(item, str) else None
        if match is None:
            raise InvalidQueryError(
                f"invalid sort string {_show(item)}; write a column name, '-' in front for descending"
            )
        sign, name = match.groups()
        info.column(name, purpose="sort column")
        keys.append(SortKey(name, sign == "-"))
    return keys


def check_limit(limit: object, offset: object) -> None:
    """Refuse a negative or non-integer ``limit`` / ``offset``."""
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise InvalidQueryError(f"{name} must be a non-negative integer, not {_show(value)}")


# -- SQL --------------------------------------------------------------------------------------


def where_clause(info: ModelInfo[Any], conditions: Sequence[Condition]) -> ColumnElement[bool] | None:
    """The AND of ``conditions`` as a SQLAlchemy expression (values bound), or None."""
    if not conditions:
        return None
    parts = [_expression(info, condition) for condition in conditions]
    return parts[0] if len(parts) == 1 else and_(*parts)


_COMPARE: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _expression(info: ModelInfo[Any], condition: Condition) -> ColumnElement[bool]:
    column = info.columns[condition.column]
    op, value = condition.op, condition.value
    if op == "eq":
        return column.is_(None) if value is None else column == value
    if op == "ne":
        return column.is_not(None) if value is None else column != value
    if op == "in":
        return column.in_(value) if isinstance(value, BindParameter) or value else false()
    if op == "like":
        return column.like(value)
    if op == "ilike":
        return column.ilike(value)
    if op == "is_null":
        return column.is_(None) if value else column.is_not(None)
    return _COMPARE[op](column, value)


def order_clause(info: ModelInfo[Any], keys: Sequence[SortKey]) -> list[ColumnElement[Any]]:
    """ORDER BY expressions for validated sort keys."""
    return [info.columns[k.column].desc() if k.descending else info.columns[k.column].asc() for k in keys]


def keyset_order(info: ModelInfo[Any], keys: Sequence[SortKey]) -> list[SortKey]:
    """``keys`` completed with the primary key, so every row has a unique position."""
    named = {key.column for key in keys}
    return [*keys, *(SortKey(name, False) for name in info.primary_key if name not in named)]


def check_after(keys: Sequence[SortKey], after: object) -> Sequence[Any]:
    """Refuse an ``after`` that is not one non-null plain value per sort key."""
    if not isinstance(after, (list, tuple)) or len(after) != len(keys):
        names = ", ".join(key.column for key in keys)
        raise InvalidQueryError(f"after must hold one value per sort key ({names}), not {_show(after)}")
    for value in after:
        if value is None or isinstance(value, ClauseElement):
            raise InvalidQueryError("keyset pagination needs non-null plain values in after")
    return after


def keyset_clause(info: ModelInfo[Any], keys: Sequence[SortKey], after: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after the position ``after`` (one value per sort key) in ``keys`` order.

    ``after`` holds values already checked by :func:`check_after`, or bound parameters.
    """
    branches: list[ColumnElement[bool]] = []
    for index, key in enumerate(keys):
        column = info.columns[key.column]
        step = column < after[index] if key.descending else column > after[index]
        equal = [info.columns[k.column] == after[i] for i, k in enumerate(keys[:index])]
        branches.append(and_(*equal, step) if equal else step)
    return or_(*branches)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
