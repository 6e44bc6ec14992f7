"""SQL statements for the CRUD operations, built from validated input only.

Statements that do not depend on the input (get, delete, insert and update by primary key) are
built once per model and executed with bound parameters; ``upsert`` is built per call from
validated input. ``find``/``count`` statements live in :mod:`tausestack.database._select`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Delete, Insert, Select, Update, and_, bindparam, delete, insert, select, update

from tausestack.core import UnsupportedOperationError
from tausestack.database._errors import InvalidQueryError
from tausestack.database._models import ModelInfo

__all__ = [
    "insert_one",
    "insert_many",
    "select_by_key",
    "update_by_key",
    "delete_by_key",
    "upsert_one",
    "key_params",
]

_PK = "tausestack_pk_"


def key_params(info: ModelInfo[Any], key: object) -> dict[str, Any]:
    """Bound parameters naming the primary key of one row."""
    return {_PK + name: value for name, value in info.key_values(key).items()}


def _by_key(info: ModelInfo[Any]) -> Any:
    return and_(*(info.columns[name] == bindparam(_PK + name) for name in info.primary_key))


def insert_one(info: ModelInfo[Any]) -> Insert:
    """INSERT ... RETURNING every column (values come as execute parameters)."""
    stmt = info.statements.get("insert")
    if stmt is None:
        stmt = info.statements["insert"] = insert(info.table).returning(*info.selectable)
    return stmt


def insert_many(info: ModelInfo[Any], *, returning: bool) -> Insert:
    """INSERT for executemany (RETURNING rows in parameter order when ``returning``)."""
    name = "insert_many_returning" if returning else "insert_many"
    stmt = info.statements.get(name)
    if stmt is None:
        stmt = insert(info.table)
        if returning:
            stmt = stmt.returning(*info.selectable, sort_by_parameter_order=True)
        info.statements[name] = stmt
    return stmt


def select_by_key(info: ModelInfo[Any]) -> Select[Any]:
    """SELECT one row by primary key (parameters from :func:`key_params`)."""
    stmt = info.statements.get("get")
    if stmt is None:
        stmt = info.statements["get"] = select(*info.selectable).where(_by_key(info))
    return stmt


def update_by_key(info: ModelInfo[Any]) -> Update:
    """UPDATE one row by primary key RETURNING it (SET columns come as execute parameters)."""
    stmt = info.statements.get("update")
    if stmt is None:
        stmt = info.statements["update"] = update(info.table).where(_by_key(info)).returning(*info.selectable)
    return stmt


def delete_by_key(info: ModelInfo[Any]) -> Delete:
    """DELETE one row by primary key."""
    stmt = info.statements.get("delete")
    if stmt is None:
        stmt = info.statements["delete"] = delete(info.table).where(_by_key(info))
    return stmt


def upsert_one(
    info: ModelInfo[Any],
    dialect: str,
    values: dict[str, Any],
    conflict: Sequence[str] | None,
    update_columns: Sequence[str] | None,
) -> Insert:
    """INSERT ... ON CONFLICT (columns) DO UPDATE ... RETURNING, for PostgreSQL and SQLite."""
    dialect_insert: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        dialect_insert = postgresql_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        dialect_insert = sqlite_insert
    else:
        raise UnsupportedOperationError(f"upsert supports PostgreSQL and SQLite, not {dialect}")
    targets = list(conflict) if conflict is not None else list(info.primary_key)
    if isinstance(conflict, str) or not targets:
        raise InvalidQueryError("conflict is a list of column names, e.g. conflict=['email']")
    for name in targets:
        info.column(name, purpose="conflict column")
        if name not in values:
            raise InvalidQueryError(f"upsert on {name!r} needs a value for {name!r}")
    if update_columns is None:
        changed = [name for name in values if name not in targets]
    else:
        if isinstance(update_columns, str):
            raise InvalidQueryError("update is a list of column names, e.g. update=['name']")
        changed = list(update_columns)
        for name in changed:
            info.column(name, purpose="update column")
            if name not in values:
                raise InvalidQueryError(f"upsert cannot update {name!r}: no value given for it")
    stmt = dialect_insert(info.table).values(info.column_keys(values))
    excluded = stmt.excluded
    columns = [info.columns[name] for name in (changed or targets[:1])]
    set_ = {column.key: excluded[column.key] for column in columns}
    stmt = stmt.on_conflict_do_update(index_elements=[info.columns[name] for name in targets], set_=set_)
    returning: Insert = stmt.returning(*info.selectable)
    return returning
