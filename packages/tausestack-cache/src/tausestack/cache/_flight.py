"""Single-flight: concurrent callers missing the same key share one computation.

Threads wait on the leader's :class:`threading.Event`; asyncio tasks await the leader's future.
The leader's result (or exception) goes to every waiter directly, not through the cache, so it
works with a disabled or failing cache too.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["ThreadFlights", "TaskFlights"]


class _Call:
    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class ThreadFlights:
    """At most one running ``compute()`` per key across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, _Call] = {}

    def in_flight(self, key: str) -> bool:
        """Whether some thread is computing ``key`` right now."""
        return key in self._calls

    def run(self, key: str, compute: Callable[[], Any]) -> Any:
        """Run ``compute`` unless another thread already is; then wait for and share its result."""
        with self._lock:
            call = self._calls.get(key)
            leader = call is None
            if call is None:
                call = self._calls[key] = _Call()
        if not leader:
            call.done.wait()
            if call.error is not None:
                raise call.error
            return call.value
        try:
            call.value = compute()
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            with self._lock:
                del self._calls[key]
            call.done.set()
        return call.value


class _LeaderCancelled(Exception):
    """The leading task was cancelled: a waiter takes over."""


class TaskFlights:
    """At most one running ``compute()`` per key and event loop across asyncio tasks."""

    def __init__(self) -> None:
        self._calls: dict[tuple[int, str], asyncio.Future[Any]] = {}

    def in_flight(self, key: str) -> bool:
        """Whether a task of the running loop is computing ``key`` right now."""
        return (id(asyncio.get_running_loop()), key) in self._calls

    async def run(self, key: str, compute: Callable[[], Awaitable[Any]]) -> Any:
        """Await ``compute()`` unless another task already is; then share its result."""
        loop = asyncio.get_running_loop()
        slot = (id(loop), key)
        while True:
            future = self._calls.get(slot)
            if future is None:
                break
            try:
                return await asyncio.shield(future)
            except _LeaderCancelled:
                continue  # the leader was cancelled: try to lead ourselves
        future = self._calls[slot] = loop.create_future()
        try:
            value = await compute()
        except asyncio.CancelledError:
            future.set_exception(_LeaderCancelled())
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()
            raise
        else:
            future.set_result(value)
            return value
        finally:
            del self._calls[slot]
