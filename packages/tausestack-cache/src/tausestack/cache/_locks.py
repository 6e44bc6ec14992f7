"""Cross-process single-flight through the backend (Redis, disk): a lock with a timeout.

The process that wins ``add(lock_key, token)`` computes the value; the others poll the cache
until the value appears, taking the lock themselves if its holder went away without storing.
After ``timeout`` seconds a waiter computes anyway, so a crashed holder never blocks anyone for
longer than that. The lock is released by compare-and-delete of the holder's random token.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from tausestack.cache.backends._base import MISSING
from tausestack.core import BackendUnavailableError

if TYPE_CHECKING:
    from tausestack.cache._cache import Cache

__all__ = ["lock_key", "locked", "alocked"]

_FIRST_DELAY = 0.005
_MAX_DELAY = 0.1


def lock_key(full_key: str) -> str:
    """The backend key of the lock guarding ``full_key``."""
    return f"__lock__:{full_key}"


def locked(
    cache: Cache, full_key: str, timeout: float, peek: Callable[[], Any], compute: Callable[[], Any]
) -> Any:
    """``compute()`` under the backend lock of ``full_key``, or the value another process stored."""
    backend = cache.backend
    name, token = lock_key(full_key), secrets.token_hex(16)
    deadline = time.monotonic() + timeout
    delay = _FIRST_DELAY
    while True:
        try:
            acquired = backend.add(name, token, timeout)
        except BackendUnavailableError:
            if cache.fail_open:
                return compute()
            raise
        if acquired:
            try:
                current = peek()
                return compute() if current is MISSING else current
            finally:
                with contextlib.suppress(BackendUnavailableError):  # else it expires after `timeout`
                    backend.release(name, token)
        if time.monotonic() >= deadline:
            return compute()
        time.sleep(delay)
        delay = min(delay * 2, _MAX_DELAY)
        current = peek()
        if current is not MISSING:
            return current


async def alocked(
    cache: Cache,
    full_key: str,
    timeout: float,
    peek: Callable[[], Awaitable[Any]],
    compute: Callable[[], Awaitable[Any]],
) -> Any:
    """Async twin of :func:`locked`."""
    backend = cache.backend
    name, token = lock_key(full_key), secrets.token_hex(16)
    deadline = time.monotonic() + timeout
    delay = _FIRST_DELAY
    while True:
        try:
            acquired = await backend.aadd(name, token, timeout)
        except BackendUnavailableError:
            if cache.fail_open:
                return await compute()
            raise
        if acquired:
            try:
                current = await peek()
                return await compute() if current is MISSING else current
            finally:
                with contextlib.suppress(BackendUnavailableError):
                    await backend.arelease(name, token)
        if time.monotonic() >= deadline:
            return await compute()
        await asyncio.sleep(delay)
        delay = min(delay * 2, _MAX_DELAY)
        current = await peek()
        if current is not MISSING:
            return current
