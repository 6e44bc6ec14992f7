"""Errors of tausestack.database, each a subclass of the core hierarchy."""

from __future__ import annotations

from tausestack.core import ConflictError, InvalidInputError, NotFoundError

__all__ = ["InvalidQueryError", "RecordNotFoundError", "IntegrityConflictError"]


class InvalidQueryError(InvalidInputError):
    """A filter, column, operator or sort string was refused before any SQL was sent.

    Also a :class:`ValueError`. The message names what was refused and what is allowed.
    """


class RecordNotFoundError(NotFoundError):
    """No row has the primary key asked for (``update`` of a missing row); also a :class:`LookupError`."""


class IntegrityConflictError(ConflictError):
    """The database refused a write: a unique, foreign-key, not-null or check constraint failed.

    The message names the constraint when the database reports it; row values are never included.
    """
