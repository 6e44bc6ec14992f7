"""Create, read, update, delete and upsert by primary key: the typed face of :class:`Database`."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel

from tausestack.database._models import Values
from tausestack.database.backends.base import AbstractDatabaseBackend

__all__ = ["CrudMethods"]

M = TypeVar("M")
S = TypeVar("S", bound=BaseModel)


class CrudMethods:
    """Row-by-key operations of :class:`~tausestack.database.Database` (delegated to its backend)."""

    backend: AbstractDatabaseBackend

    @overload
    def create(self, model: type[M], values: Values, *, schema: None = None) -> M: ...
    @overload
    def create(self, model: type[Any], values: Values, *, schema: type[S]) -> S: ...
    def create(self, model: type[Any], values: Values, *, schema: type[BaseModel] | None = None) -> Any:
        """Insert one row and return it as stored (defaults filled in).

        ``values``: a mapping of column attributes, a pydantic model or a model instance; unknown
        names raise :class:`InvalidQueryError`. A constraint failure raises
        :class:`IntegrityConflictError`. ``schema``: return that pydantic class instead.

        >>> user = db.create(User, {"name": "Ada", "age": 36})          # doctest: +SKIP
        """
        return self.backend.create(model, values, schema=schema)

    @overload
    async def acreate(self, model: type[M], values: Values, *, schema: None = None) -> M: ...
    @overload
    async def acreate(self, model: type[Any], values: Values, *, schema: type[S]) -> S: ...
    async def acreate(
        self, model: type[Any], values: Values, *, schema: type[BaseModel] | None = None
    ) -> Any:
        """Async twin of :meth:`create`."""
        return await self.backend.acreate(model, values, schema=schema)

    @overload
    def create_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: Literal[False] = False
    ) -> int: ...
    @overload
    def create_many(
        self, model: type[M], rows: Iterable[Values], *, returning: Literal[True], schema: None = None
    ) -> builtins.list[M]: ...
    @overload
    def create_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: Literal[True], schema: type[S]
    ) -> builtins.list[S]: ...
    def create_many(
        self,
        model: type[Any],
        rows: Iterable[Values],
        *,
        returning: bool = False,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """Insert many rows in one batch (``executemany``); their number, or the rows when ``returning``.

        >>> db.create_many(User, [{"name": "a"}, {"name": "b"}])        # doctest: +SKIP
        2
        """
        return self.backend.create_many(model, rows, returning=returning, schema=schema)

    @overload
    async def acreate_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: Literal[False] = False
    ) -> int: ...
    @overload
    async def acreate_many(
        self, model: type[M], rows: Iterable[Values], *, returning: Literal[True], schema: None = None
    ) -> builtins.list[M]: ...
    @overload
    async def acreate_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: Literal[True], schema: type[S]
    ) -> builtins.list[S]: ...
    async def acreate_many(
        self,
        model: type[Any],
        rows: Iterable[Values],
        *,
        returning: bool = False,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """Async twin of :meth:`create_many`."""
        return await self.backend.acreate_many(model, rows, returning=returning, schema=schema)

    @overload
    def get(self, model: type[M], key: Any, *, schema: None = None) -> M | None: ...
    @overload
    def get(self, model: type[Any], key: Any, *, schema: type[S]) -> S | None: ...
    def get(self, model: type[Any], key: Any, *, schema: type[BaseModel] | None = None) -> Any:
        """The row whose primary key is ``key`` (a value; a tuple or mapping for composite keys), or None.

        >>> db.get(User, 1)                                            # doctest: +SKIP
        """
        return self.backend.get(model, key, schema=schema)

    @overload
    async def aget(self, model: type[M], key: Any, *, schema: None = None) -> M | None: ...
    @overload
    async def aget(self, model: type[Any], key: Any, *, schema: type[S]) -> S | None: ...
    async def aget(self, model: type[Any], key: Any, *, schema: type[BaseModel] | None = None) -> Any:
        """Async twin of :meth:`get`."""
        return await self.backend.aget(model, key, schema=schema)

    @overload
    def update(self, model: type[M], key: Any, values: Values, *, schema: None = None) -> M: ...
    @overload
    def update(self, model: type[Any], key: Any, values: Values, *, schema: type[S]) -> S: ...
    def update(
        self, model: type[Any], key: Any, values: Values, *, schema: type[BaseModel] | None = None
    ) -> Any:
        """Set the given columns of one row and return the row.

        A pydantic model contributes only the fields it was given (a PATCH). Raises
        :class:`RecordNotFoundError` when no row has that key.

        >>> db.update(User, 1, {"age": 37})                            # doctest: +SKIP
        """
        return self.backend.update(model, key, values, schema=schema)

    @overload
    async def aupdate(self, model: type[M], key: Any, values: Values, *, schema: None = None) -> M: ...
    @overload
    async def aupdate(self, model: type[Any], key: Any, values: Values, *, schema: type[S]) -> S: ...
    async def aupdate(
        self, model: type[Any], key: Any, values: Values, *, schema: type[BaseModel] | None = None
    ) -> Any:
        """Async twin of :meth:`update`."""
        return await self.backend.aupdate(model, key, values, schema=schema)

    def delete(self, model: type[Any], key: Any) -> bool:
        """Delete one row by primary key; whether it existed.

        >>> db.delete(User, 1)                                         # doctest: +SKIP
        True
        """
        return self.backend.delete(model, key)

    async def adelete(self, model: type[Any], key: Any) -> bool:
        """Async twin of :meth:`delete`."""
        return await self.backend.adelete(model, key)

    @overload
    def upsert(
        self,
        model: type[M],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: None = None,
    ) -> M: ...
    @overload
    def upsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: type[S],
    ) -> S: ...
    def upsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """Insert the row, or update it when it conflicts on ``conflict`` (default: the primary key).

        ``conflict`` names columns with a unique constraint; ``update`` the columns to overwrite
        on conflict (default: every given column except the conflict ones). One statement:
        ``INSERT ... ON CONFLICT ... DO UPDATE`` (PostgreSQL and SQLite).

        >>> db.upsert(User, {"email": "a@x.io", "name": "A"}, conflict=["email"])   # doctest: +SKIP
        """
        return self.backend.upsert(model, values, conflict=conflict, update=update, schema=schema)

    @overload
    async def aupsert(
        self,
        model: type[M],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: None = None,
    ) -> M: ...
    @overload
    async def aupsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: type[S],
    ) -> S: ...
    async def aupsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """Async twin of :meth:`upsert`."""
        return await self.backend.aupsert(model, values, conflict=conflict, update=update, schema=schema)
