"""The sync/async bridge: every I/O method has an ``a``-prefixed async twin.

Where a backend has no native async client, the twin runs the blocking call in a worker thread
(:func:`run_sync`, on anyio's thread pool), so the event loop is never blocked.

Calling a *sync* method from inside a running event loop works, and blocks that loop for the
duration of the call: use the async twin in async code. The one exception is a call that can
only be served by async code (:func:`run_async`): from inside a running loop it raises
:class:`~tausestack.core.SyncInEventLoopError` instead of dead-locking.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread

from tausestack.core._errors import SyncInEventLoopError

__all__ = ["run_sync", "run_async", "async_twin", "in_event_loop"]

P = ParamSpec("P")
T = TypeVar("T")


async def run_sync(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run the blocking ``func(*args, **kwargs)`` in a worker thread and await its result.

    >>> import anyio
    >>> anyio.run(run_sync, sum, [1, 2, 3])
    6
    """
    if kwargs:
        return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs))
    return await anyio.to_thread.run_sync(func, *args)


def async_twin(func: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """Make the async twin of a blocking function or method (runs it in a worker thread).

    >>> class Store:
    ...     def get(self, key: str) -> str: return key.upper()
    ...     aget = async_twin(get)
    """

    @functools.wraps(func)
    async def twin(*args: P.args, **kwargs: P.kwargs) -> T:
        return await run_sync(func, *args, **kwargs)

    twin.__name__ = f"a{func.__name__}"
    twin.__qualname__ = twin.__qualname__.rsplit(".", 1)[0] + f".a{func.__name__}"
    twin.__doc__ = f"Async twin of :meth:`{func.__name__}` (runs in a worker thread)."
    return twin


def in_event_loop() -> bool:
    """Whether the calling thread is running an asyncio event loop right now."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_async(func: Callable[P, Coroutine[Any, Any, T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run the coroutine function to completion from synchronous code.

    Raises :class:`SyncInEventLoopError` when called from a thread that is running an event loop
    (blocking it would dead-lock); call the async API there instead.
    """
    if in_event_loop():
        name = getattr(func, "__name__", "this operation")
        raise SyncInEventLoopError(
            f"{name} is async-only and was called synchronously from inside a running event loop; "
            "await its async twin instead"
        )
    return anyio.run(functools.partial(func, *args, **kwargs))
