"""Finding rows: ``find``/``list`` with filters, ordering and pagination, ``page``, ``count``."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any, TypeVar, overload

from pydantic import BaseModel

from tausestack.database._errors import InvalidQueryError
from tausestack.database._filters import OrderBy, Where, check_limit, keyset_order, parse_order
from tausestack.database._models import model_info
from tausestack.database.backends.base import AbstractDatabaseBackend, Page

__all__ = ["QueryMethods"]

M = TypeVar("M")
S = TypeVar("S", bound=BaseModel)


class QueryMethods:
    """Query operations of :class:`~tausestack.database.Database` (delegated to its backend)."""

    backend: AbstractDatabaseBackend

    @overload
    def find(
        self,
        model: type[M],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: None = None,
    ) -> builtins.list[M]: ...
    @overload
    def find(
        self,
        model: type[Any],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: type[S],
    ) -> builtins.list[S]: ...
    def find(
        self,
        model: type[Any],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """Rows matching ``where``, ordered by ``order_by``, at most ``limit`` from ``offset``.

        ``where``: ``{"age__gt": 30, "name__like": "A%"}`` or ``[("age", "gt", 30)]``; operators
        ``eq ne lt le gt ge in like ilike is_null``. ``order_by``: ``"-age"`` or ``["name", "-age"]``.
        ``after``: the sort-key values of the last row seen (keyset pagination; the primary key
        is appended to the order). Unknown columns, operators or sort strings raise
        :class:`InvalidQueryError` before any SQL is sent.

        >>> db.find(User, where={"age__ge": 18}, order_by="-age", limit=10)   # doctest: +SKIP
        """
        return self.backend.find(
            model, where=where, order_by=order_by, limit=limit, offset=offset, after=after, schema=schema
        )

    @overload
    async def afind(
        self,
        model: type[M],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: None = None,
    ) -> builtins.list[M]: ...
    @overload
    async def afind(
        self,
        model: type[Any],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: type[S],
    ) -> builtins.list[S]: ...
    async def afind(
        self,
        model: type[Any],
        *,
        where: Where = None,
        order_by: OrderBy = None,
        limit: int | None = None,
        offset: int | None = None,
        after: Sequence[Any] | None = None,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """Async twin of :meth:`find`."""
        return await self.backend.afind(
            model, where=where, order_by=order_by, limit=limit, offset=offset, after=after, schema=schema
        )

    list = find
    alist = afind

    @overload
    def page(
        self,
        model: type[M],
        *,
        limit: int,
        where: Where = None,
        order_by: OrderBy = None,
        after: Sequence[Any] | None = None,
        schema: None = None,
    ) -> Page[M]: ...
    @overload
    def page(
        self,
        model: type[Any],
        *,
        limit: int,
        where: Where = None,
        order_by: OrderBy = None,
        after: Sequence[Any] | None = None,
        schema: type[S],
    ) -> Page[S]: ...
    def page(
        self,
        model: type[Any],
        *,
        limit: int,
        where: Where = None,
        order_by: OrderBy = None,
        after: Sequence[Any] | None = None,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """One page of at most ``limit`` rows by keyset pagination (stable under inserts, no OFFSET).

        Pass the returned ``next_after`` as ``after`` to get the next page; it is None on the last.

        >>> first = db.page(User, limit=50, order_by="-created")          # doctest: +SKIP
        >>> second = db.page(User, limit=50, order_by="-created", after=first.next_after)  # doctest: +SKIP
        """
        order = _page_order(model, limit, order_by)
        rows = self.backend.find(model, where=where, order_by=order, limit=limit + 1, after=after)
        return _page(rows, limit, order, schema)

    @overload
    async def apage(
        self,
        model: type[M],
        *,
        limit: int,
        where: Where = None,
        order_by: OrderBy = None,
        after: Sequence[Any] | None = None,
        schema: None = None,
    ) -> Page[M]: ...
    @overload
    async def apage(
        self,
        model: type[Any],
        *,
        limit: int,
        where: Where = None,
        order_by: OrderBy = None,
        after: Sequence[Any] | None = None,
        schema: type[S],
    ) -> Page[S]: ...
    async def apage(
        self,
        model: type[Any],
        *,
        limit: int,
        where: Where = None,
        order_by: OrderBy = None,
        after: Sequence[Any] | None = None,
        schema: type[BaseModel] | None = None,
    ) -> Any:
        """Async twin of :meth:`page`."""
        order = _page_order(model, limit, order_by)
        rows = await self.backend.afind(model, where=where, order_by=order, limit=limit + 1, after=after)
        return _page(rows, limit, order, schema)

    def count(self, model: type[Any], *, where: Where = None) -> int:
        """How many rows match ``where`` (same syntax as :meth:`find`).

        >>> db.count(User, where={"age__lt": 18})                        # doctest: +SKIP
        """
        return self.backend.count(model, where=where)

    async def acount(self, model: type[Any], *, where: Where = None) -> int:
        """Async twin of :meth:`count`."""
        return await self.backend.acount(model, where=where)


def _page_order(model: type[Any], limit: int, order_by: OrderBy) -> builtins.list[str]:
    check_limit(limit, None)
    if limit < 1:
        raise InvalidQueryError("page() needs limit >= 1")
    info = model_info(model)
    keys = keyset_order(info, parse_order(info, order_by))
    return [f"-{key.column}" if key.descending else key.column for key in keys]


def _page(
    rows: builtins.list[Any], limit: int, order: builtins.list[str], schema: type[BaseModel] | None
) -> Page[Any]:
    next_after = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_after = tuple(getattr(last, name.lstrip("-")) for name in order)
    if schema is not None:
        rows = [schema.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=rows, next_after=next_after)
