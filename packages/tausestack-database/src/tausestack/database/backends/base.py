"""The interface every database backend implements: CRUD, transactions, raw SQL, lifecycle.

Models are SQLAlchemy 2.0 mapped classes; only their mapped column attributes may appear in
values, filters (``where``) and sort strings (``order_by``) — see
:mod:`tausestack.database._filters` for the syntax. Methods returning rows give detached model
instances, or instances of ``schema`` when a pydantic class is passed. Every I/O method has an
``a``-prefixed async twin.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from tausestack.core import UnsupportedOperationError
from tausestack.database._filters import OrderBy, Where
from tausestack.database._models import Values

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import Session

__all__ = ["AbstractDatabaseBackend", "Page", "Params"]

T = TypeVar("T")
Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None
Schema = type[BaseModel] | None


@dataclass
class Page(Generic[T]):
    """One page of a keyset-paginated query.

    ``items`` are the rows; pass ``next_after`` as ``after=`` to get the next page (``None``
    when this was the last one).
    """

    items: list[T] = field(default_factory=list)
    next_after: tuple[Any, ...] | None = None


class AbstractDatabaseBackend(ABC):
    """What a database backend does. ``SQLAlchemyBackend`` and ``SupabaseBackend`` implement it.

    A backend that cannot do something (client-side transactions over PostgREST) raises
    :class:`~tausestack.core.UnsupportedOperationError` with the reason.
    """

    # -- CRUD -----------------------------------------------------------------------------------

    @abstractmethod
    def create(self, model: type[Any], values: Values, *, schema: Schema = None) -> Any:
        """Insert one row and return it as stored (database defaults filled in)."""

    @abstractmethod
    async def acreate(self, model: type[Any], values: Values, *, schema: Schema = None) -> Any:
        """Async twin of :meth:`create`."""

    @abstractmethod
    def create_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: bool = False, schema: Schema = None
    ) -> int | builtins.list[Any]:
        """Insert many rows in one batch: their number, or the rows when ``returning``."""

    @abstractmethod
    async def acreate_many(
        self, model: type[Any], rows: Iterable[Values], *, returning: bool = False, schema: Schema = None
    ) -> int | builtins.list[Any]:
        """Async twin of :meth:`create_many`."""

    @abstractmethod
    def get(self, model: type[Any], key: Any, *, schema: Schema = None) -> Any | None:
        """The row with primary key ``key`` (a value, a tuple or a mapping), or None."""

    @abstractmethod
    async def aget(self, model: type[Any], key: Any, *, schema: Schema = None) -> Any | None:
        """Async twin of :meth:`get`."""

    @abstractmethod
    def update(self, model: type[Any], key: Any, values: Values, *, schema: Schema = None) -> Any:
        """Change the given columns of one row and return it; RecordNotFoundError when missing."""

    @abstractmethod
    async def aupdate(self, model: type[Any], key: Any, values: Values, *, schema: Schema = None) -> Any:
        """Async twin of :meth:`update`."""

    @abstractmethod
    def delete(self, model: type[Any], key: Any) -> bool:
        """Delete one row; whether it existed."""

    @abstractmethod
    async def adelete(self, model: type[Any], key: Any) -> bool:
        """Async twin of :meth:`delete`."""

    @abstractmethod
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
        """Rows matching ``where``, sorted, limited; ``after`` continues a keyset pagination."""

    @abstractmethod
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
        """Async twin of :meth:`find`."""

    @abstractmethod
    def count(self, model: type[Any], *, where: Where = None) -> int:
        """How many rows match ``where``."""

    @abstractmethod
    async def acount(self, model: type[Any], *, where: Where = None) -> int:
        """Async twin of :meth:`count`."""

    @abstractmethod
    def upsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: Schema = None,
    ) -> Any:
        """Insert, or update on a ``conflict`` (unique columns; default the primary key)."""

    @abstractmethod
    async def aupsert(
        self,
        model: type[Any],
        values: Values,
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] | None = None,
        schema: Schema = None,
    ) -> Any:
        """Async twin of :meth:`upsert`."""

    # -- transactions and raw SQL (not every backend) --------------------------------------------

    def transaction(self) -> AbstractContextManager[Session]:
        """A transaction for the current thread/task; nested calls make savepoints."""
        raise UnsupportedOperationError(f"{type(self).__name__} has no client-side transactions")

    def atransaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Async twin of :meth:`transaction`."""
        raise UnsupportedOperationError(f"{type(self).__name__} has no client-side transactions")

    def session(self) -> AbstractContextManager[Session]:
        """The current transaction's session, or a new transaction when there is none."""
        raise UnsupportedOperationError(f"{type(self).__name__} has no SQLAlchemy sessions")

    def asession(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Async twin of :meth:`session`."""
        raise UnsupportedOperationError(f"{type(self).__name__} has no SQLAlchemy sessions")

    def execute(self, sql: Any, params: Params = None) -> int:
        """Run one statement with bound parameters; the number of rows affected."""
        raise UnsupportedOperationError(f"{type(self).__name__} cannot run raw SQL")

    async def aexecute(self, sql: Any, params: Params = None) -> int:
        """Async twin of :meth:`execute`."""
        raise UnsupportedOperationError(f"{type(self).__name__} cannot run raw SQL")

    def fetch_all(self, sql: Any, params: Mapping[str, Any] | None = None) -> builtins.list[dict[str, Any]]:
        """Rows of a query with bound parameters, as dictionaries."""
        raise UnsupportedOperationError(f"{type(self).__name__} cannot run raw SQL")

    async def afetch_all(
        self, sql: Any, params: Mapping[str, Any] | None = None
    ) -> builtins.list[dict[str, Any]]:
        """Async twin of :meth:`fetch_all`."""
        raise UnsupportedOperationError(f"{type(self).__name__} cannot run raw SQL")

    def fetch_one(self, sql: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """The first row of a query with bound parameters, or None."""
        raise UnsupportedOperationError(f"{type(self).__name__} cannot run raw SQL")

    async def afetch_one(self, sql: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """Async twin of :meth:`fetch_one`."""
        raise UnsupportedOperationError(f"{type(self).__name__} cannot run raw SQL")

    # -- lifecycle ------------------------------------------------------------------------------

    @abstractmethod
    def health(self) -> None:
        """A cheap round trip; BackendUnavailableError when the database does not answer."""

    @abstractmethod
    async def ahealth(self) -> None:
        """Async twin of :meth:`health`."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the backend reopens them on next use."""

    @abstractmethod
    async def aclose(self) -> None:
        """Async twin of :meth:`close`."""

    @abstractmethod
    def describe(self) -> str:
        """The backend's URL, without secrets (opens no connection)."""
