"""What tausestack.database knows about a mapped model: columns, primary key, rows in and out.

:func:`model_info` inspects a SQLAlchemy 2.0 mapped class once (cached) and answers, without
touching the database: which attribute names are columns (only those are accepted in values,
filters and sort strings), how to turn input (a mapping, a pydantic model, a model instance)
into column values, and how to turn a result row into a model instance or a pydantic schema.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Column, ColumnElement, Table, inspect
from sqlalchemy.exc import NoInspectionAvailable
from sqlalchemy.orm import Mapper

from tausestack.database._errors import InvalidQueryError

__all__ = ["ModelInfo", "model_info", "Values"]

M = TypeVar("M")
Values = Any
"""Row values: a mapping of attribute names, a pydantic model, or an instance of the model."""

_cache: weakref.WeakKeyDictionary[type[Any], ModelInfo[Any]] = weakref.WeakKeyDictionary()


class ModelInfo(Generic[M]):
    """The column map of one mapped class (see :func:`model_info`)."""

    def __init__(self, model: type[M], mapper: Mapper[Any]) -> None:
        table = mapper.local_table
        if not isinstance(table, Table):
            raise InvalidQueryError(f"{model.__name__} is not mapped to a single table")
        self.model = model
        self.name = model.__name__
        self.mapper = mapper
        self.table: Table = table
        self.columns: dict[str, Column[Any]] = {}
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if isinstance(column, Column) and column.table is table:
                self.columns[prop.key] = column
        self.column_names = frozenset(self.columns)
        self.primary_key: tuple[str, ...] = tuple(
            key for key, column in self.columns.items() if column.primary_key
        )
        if not self.primary_key:
            raise InvalidQueryError(f"{self.name} has no primary key column")
        # Result columns labelled with attribute names, so rows map straight onto the model.
        self.selectable: tuple[ColumnElement[Any], ...] = tuple(
            column if column.key == key else column.label(key) for key, column in self.columns.items()
        )
        self.keys: tuple[str, ...] = tuple(self.columns)
        self._pk_index = tuple(self.keys.index(name) for name in self.primary_key)
        self._build_rows = _row_builder(self.keys, self._pk_index)
        self._new_instance = mapper.class_manager.new_instance
        self._manager = mapper.class_manager
        self._state_constructor = mapper.class_manager._state_constructor
        self._identity_class = mapper._identity_class
        self.renamed = any(column.key != key for key, column in self.columns.items())
        self.statements: dict[str, Any] = {}
        """Statements built once per model (by :mod:`tausestack.database._statements`)."""
        self.queries: dict[tuple[Any, ...], Any] = {}
        """``find``/``count`` statements by query shape (by :mod:`tausestack.database._select`)."""
        self._autoincrement = frozenset(
            key
            for key in self.primary_key
            if self.columns[key].autoincrement in (True, "auto") or self.columns[key].server_default
        )

    # -- input --------------------------------------------------------------------------------

    def column(self, name: object, *, purpose: str = "column") -> Column[Any]:
        """The column for attribute ``name``; :class:`InvalidQueryError` for anything else."""
        if isinstance(name, str):
            column = self.columns.get(name)
            if column is not None:
                return column
        known = ", ".join(sorted(self.columns))
        raise InvalidQueryError(f"{self.name} has no {purpose} {_show(name)}; known columns: {known}")

    def values(self, data: Values, *, partial: bool) -> dict[str, Any]:
        """Column values from a mapping, a pydantic model or an instance of the model.

        ``partial`` (updates) keeps only the fields a pydantic model was given explicitly;
        otherwise (inserts) a primary key given as ``None`` is left out so the database assigns it.
        Unknown keys raise :class:`InvalidQueryError` before any I/O.
        """
        if isinstance(data, Mapping):
            values = dict(data)
        elif isinstance(data, BaseModel):
            values = data.model_dump(exclude_unset=partial)
        elif isinstance(data, self.model):
            state_dict = data.__dict__
            values = {key: state_dict[key] for key in self.columns if key in state_dict}
        else:
            raise InvalidQueryError(
                f"values for {self.name} must be a mapping, a pydantic model or a {self.name} "
                f"instance, not {type(data).__name__}"
            )
        unknown = [key for key in values if key not in self.columns]
        if unknown:
            self.column(unknown[0])
        if not partial:
            for key in self._autoincrement:
                if key in values and values[key] is None:
                    del values[key]
        return values

    def column_keys(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` keyed by column key instead of attribute name (the same unless renamed)."""
        if not self.renamed:
            return values
        return {self.columns[name].key: value for name, value in values.items()}

    def key_values(self, key: object) -> dict[str, Any]:
        """Primary key values from a scalar, a tuple (composite keys) or a mapping."""
        names = self.primary_key
        if isinstance(key, Mapping):
            if set(key) != set(names):
                raise InvalidQueryError(f"{self.name} primary key needs exactly {', '.join(names)}")
            return {name: key[name] for name in names}
        if len(names) == 1:
            if isinstance(key, (tuple, list)):
                if len(key) != 1:
                    raise InvalidQueryError(f"{self.name} has a single-column primary key ({names[0]})")
                key = key[0]
            if key is None:
                raise InvalidQueryError(f"{self.name} primary key {names[0]} cannot be None")
            return {names[0]: key}
        if not isinstance(key, (tuple, list)) or len(key) != len(names):
            raise InvalidQueryError(
                f"{self.name} primary key is ({', '.join(names)}): pass a tuple of values"
            )
        return dict(zip(names, key, strict=True))

    # -- output -------------------------------------------------------------------------------

    def instance(self, row: Mapping[Any, Any]) -> M:
        """A detached model instance holding ``row`` (add it to a session to change it there)."""
        obj: M = self._new_instance()
        obj.__dict__.update(row)
        # What make_transient_to_detached() does for a fresh instance, at a fraction of its cost:
        # give the state its identity key, so a session treats it as an existing row.
        obj._sa_instance_state.key = (self._identity_class, tuple([row[n] for n in self.primary_key]), None)  # type: ignore[attr-defined]
        return obj

    def from_row(self, row: Sequence[Any]) -> M:
        """A detached model instance from a result row in :attr:`selectable` order (the fast path).

        Instance state, column values and identity key, set as ``ClassManager.new_instance()``
        plus ``make_transient_to_detached()`` would (see :func:`_row_builder`).
        """
        return self.rows_output((row,), None)[0]  # type: ignore[no-any-return]

    def rows_output(self, rows: Sequence[Sequence[Any]], schema: type[BaseModel] | None) -> list[Any]:
        """Result rows (in :attr:`selectable` order) as model instances or ``schema`` instances."""
        if schema is not None:
            keys = self.keys
            return [schema.model_validate(dict(zip(keys, row, strict=True))) for row in rows]
        model = self.model
        return self._build_rows(
            rows, model.__new__, model, self._state_constructor, self._manager, self._identity_class
        )

    def row_output(self, row: Sequence[Any], schema: type[BaseModel] | None) -> Any:
        """One result row as a model instance or a ``schema`` instance."""
        if schema is None:
            return self.from_row(row)
        return schema.model_validate(dict(zip(self.keys, row, strict=True)))

    def output(self, rows: Sequence[Mapping[Any, Any]], schema: type[BaseModel] | None) -> list[Any]:
        """Rows as model instances, or as ``schema`` instances when a pydantic schema is given."""
        if schema is None:
            return [self.instance(row) for row in rows]
        return [schema.model_validate(dict(row)) for row in rows]

    def one(self, row: Mapping[Any, Any], schema: type[BaseModel] | None) -> Any:
        """One row as a model instance or a ``schema`` instance."""
        if schema is None:
            return self.instance(row)
        return schema.model_validate(dict(row))


def model_info(model: type[M]) -> ModelInfo[M]:
    """The (cached) :class:`ModelInfo` of a mapped class; :class:`InvalidQueryError` otherwise."""
    try:
        info = _cache.get(model)
    except TypeError:  # not weak-referenceable: certainly not a model class
        info = None
    if info is not None:
        return info
    try:
        mapper = inspect(model) if isinstance(model, type) else None
    except NoInspectionAvailable:
        mapper = None
    if not isinstance(mapper, Mapper):
        raise InvalidQueryError(
            f"{_show(model)} is not a mapped SQLAlchemy model (declare it on tausestack.database.Base "
            "or another DeclarativeBase)"
        )
    built: ModelInfo[M] = ModelInfo(model, mapper)
    _cache[model] = built
    return built


def _row_builder(keys: Sequence[str], pk_index: Sequence[int]) -> Callable[..., list[Any]]:
    """A function turning result rows into detached instances, generated for one column list.

    The per-row cost of ``find``: unpacking each row into locals and filling ``__dict__`` from a
    dict display is about a quarter faster than ``zip``-ing keys and values. The generated code
    holds only ``repr()`` of the attribute names and positional local names; a row of the wrong
    length fails to unpack. What it does per row is what ``ClassManager.new_instance()`` plus
    ``make_transient_to_detached()`` do: instance state, column values, identity key (so a
    session treats the instance as an existing row).
    """
    names = [f"v{index}" for index in range(len(keys))]
    values = ", ".join(f"{key!r}: {name}" for key, name in zip(keys, names, strict=True))
    identity = "".join(f"{names[index]}, " for index in pk_index)
    source = (
        "def build_rows(rows, new, model, new_state, manager, identity_class):\n"
        "    out = []\n"
        "    append = out.append\n"
        f"    for ({', '.join(names)},) in rows:\n"
        "        obj = new(model)\n"
        "        state = new_state(obj, manager)\n"
        f"        obj.__dict__.update({{{values}, '_sa_instance_state': state}})\n"
        f"        state.key = (identity_class, ({identity}), None)\n"
        "        append(obj)\n"
        "    return out\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<tausestack.database row builder>", "exec"), namespace)  # noqa: S102
    builder: Callable[..., list[Any]] = namespace["build_rows"]
    return builder


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
