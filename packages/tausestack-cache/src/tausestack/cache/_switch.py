"""The process-wide "caching is off" switch behind :func:`tausestack.cache.disabled`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["switch", "disabled"]


class _Switch:
    __slots__ = ("_lock", "off")

    def __init__(self) -> None:
        self.off = 0
        self._lock = threading.Lock()

    def push(self) -> None:
        with self._lock:
            self.off += 1

    def pop(self) -> None:
        with self._lock:
            self.off -= 1


switch = _Switch()


@contextmanager
def disabled() -> Iterator[None]:
    """Turn every cache in the process off inside the ``with`` block (for tests).

    Reads miss, writes are skipped and ``@cached`` functions run every time. Nesting is fine.

    >>> from tausestack import cache
    >>> with cache.disabled():
    ...     cache.set("k", 1); cache.get("k")
    """
    switch.push()
    try:
        yield
    finally:
        switch.pop()
