"""Input checks of the SQLAlchemy backend: rows to insert, update values, raw SQL and parameters.

Each function refuses bad input with :class:`~tausestack.database.InvalidQueryError` before any
SQL is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.sql.base import Executable

from tausestack.database._errors import InvalidQueryError
from tausestack.database._models import ModelInfo, Values

__all__ = ["insert_rows", "batches", "update_changes", "statement", "bound_params"]


def insert_rows(info: ModelInfo[Any], rows: Iterable[Values]) -> list[dict[str, Any]]:
    """Parameter rows for ``create_many`` (plain dicts of known columns pass through as they are)."""
    if isinstance(rows, (str, bytes, Mapping)):
        raise InvalidQueryError(
            "create_many takes an iterable of rows (mappings, pydantic models or instances)"
        )
    names = info.column_names
    out: list[dict[str, Any]] = []
    for row in rows:
        if type(row) is dict and names.issuperset(row) and not info.renamed:
            out.append(row)
        else:
            out.append(info.column_keys(info.values(row, partial=False)))
    return out


def batches(
    rows: list[dict[str, Any]],
) -> list[tuple[range | list[int], list[dict[str, Any]]]]:
    """Rows grouped by their set of columns (executemany needs the same keys in every row)."""
    first = rows[0].keys()
    if all(row.keys() == first for row in rows):
        return [(range(len(rows)), rows)]
    groups: dict[frozenset[str], tuple[list[int], list[dict[str, Any]]]] = {}
    for position, row in enumerate(rows):
        positions, batch = groups.setdefault(frozenset(row), ([], []))
        positions.append(position)
        batch.append(row)
    return list(groups.values())


def update_changes(info: ModelInfo[Any], key: Any, values: Values) -> dict[str, Any]:
    """The SET values of ``update`` by column key (the primary key may only repeat its value)."""
    changes = info.values(values, partial=True)
    for name, value in info.key_values(key).items():
        if name in changes:
            if changes[name] != value:
                raise InvalidQueryError(f"update cannot change the primary key {name!r} of {info.name}")
            del changes[name]
    return info.column_keys(changes)


@lru_cache(maxsize=512)
def _text(sql: str) -> TextClause:
    return text(sql)


def statement(sql: Any) -> Executable:
    """A raw SQL string as a (cached) ``text()`` clause, or a SQLAlchemy statement as it is."""
    if isinstance(sql, str):
        if not sql.strip():
            raise InvalidQueryError("sql is empty")
        return _text(sql)
    if isinstance(sql, Executable):
        return sql
    raise InvalidQueryError(
        f"sql must be a string with :name placeholders or a SQLAlchemy statement, not {type(sql).__name__}"
    )


def bound_params(params: Any, *, many: bool) -> Any:
    """Raw SQL parameters: a mapping, or with ``many`` a list of mappings (``executemany``)."""
    if params is None:
        return None
    if isinstance(params, Mapping):
        return dict(params)
    if many and isinstance(params, (list, tuple)) and all(isinstance(p, Mapping) for p in params):
        return [dict(p) for p in params]
    shape = "a mapping (or, for execute, a list of mappings)" if many else "a mapping"
    raise InvalidQueryError(
        f"params must be {shape} of :name placeholders to values, not {type(params).__name__}"
    )
