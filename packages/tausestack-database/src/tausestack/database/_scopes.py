"""Sessions scoped to the current thread or asyncio task, through context variables.

A backend's open transaction lives in a context variable keyed by the backend, never in the
backend instance: two threads, or two asyncio tasks, each get their own session and never see
each other's uncommitted rows. A task started inside a transaction inherits a copy of the
context and therefore the same session; do not use it from concurrent tasks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

__all__ = ["current_session", "current_async_session", "session_scope", "async_session_scope"]

_SESSIONS: ContextVar[dict[int, Session] | None] = ContextVar("tausestack_database_sessions", default=None)
_ASYNC_SESSIONS: ContextVar[dict[int, AsyncSession] | None] = ContextVar(
    "tausestack_database_async_sessions", default=None
)


def current_session(owner: object) -> Session | None:
    """The session ``owner`` opened in this thread/task, if any."""
    scopes = _SESSIONS.get()
    return None if scopes is None else scopes.get(id(owner))


def current_async_session(owner: object) -> AsyncSession | None:
    """The async session ``owner`` opened in this task, if any."""
    scopes = _ASYNC_SESSIONS.get()
    return None if scopes is None else scopes.get(id(owner))


def _reset(var: ContextVar[Any], token: Token[Any], previous: Any) -> None:
    try:
        var.reset(token)
    except ValueError:  # closed from another context (a generator finalised elsewhere)
        var.set(previous)


@contextmanager
def session_scope(owner: object, engine: Engine, *, nested: bool) -> Iterator[Session]:
    """Join (or, when ``nested``, open a savepoint in) the current session, or begin a new one.

    Leaving the block commits; an exception rolls back (to the savepoint when nested) and is
    re-raised.
    """
    current = current_session(owner)
    if current is not None:
        if nested:
            with current.begin_nested():
                yield current
        else:
            yield current
        return
    session = Session(engine, expire_on_commit=False)
    previous = _SESSIONS.get()
    token = _SESSIONS.set({**(previous or {}), id(owner): session})
    try:
        with session.begin():
            yield session
    finally:
        _reset(_SESSIONS, token, previous)
        session.close()


@asynccontextmanager
async def async_session_scope(
    owner: object, engine: AsyncEngine, *, nested: bool
) -> AsyncIterator[AsyncSession]:
    """Async twin of :func:`session_scope`."""
    from sqlalchemy.ext.asyncio import AsyncSession

    current = current_async_session(owner)
    if current is not None:
        if nested:
            async with current.begin_nested():
                yield current
        else:
            yield current
        return
    session = AsyncSession(engine, expire_on_commit=False)
    previous = _ASYNC_SESSIONS.get()
    token = _ASYNC_SESSIONS.set({**(previous or {}), id(owner): session})
    try:
        async with session.begin():
            yield session
    finally:
        _reset(_ASYNC_SESSIONS, token, previous)
        await session.close()
