"""The lazily built module-level default instance (``from tausestack import storage``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["LazyDefault"]

T = TypeVar("T")


class LazyDefault(Generic[T]):
    """Builds ``factory()`` on first :meth:`get`, once, even under concurrent first calls.

    :meth:`configure` replaces the instance (an app or a test choosing its own);
    :meth:`reset` forgets it (closing it with ``close`` when given), so the next :meth:`get`
    reads the environment again.
    """

    def __init__(self, factory: Callable[[], T], *, close: Callable[[T], None] | None = None) -> None:
        self._factory = factory
        self._close = close
        self._instance: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The default instance, built from the environment on first use."""
        instance = self._instance
        if instance is not None:
            return instance
        with self._lock:
            if self._instance is None:
                self._instance = self._factory()
            return self._instance

    def configure(self, instance: T) -> None:
        """Use ``instance`` as the default from now on."""
        with self._lock:
            old, self._instance = self._instance, instance
        if old is not None and old is not instance and self._close is not None:
            self._close(old)

    def reset(self) -> None:
        """Forget the default; the next :meth:`get` builds a new one from the environment."""
        with self._lock:
            old, self._instance = self._instance, None
        if old is not None and self._close is not None:
            self._close(old)

    @property
    def is_built(self) -> bool:
        """Whether the default exists yet (nothing is built by asking)."""
        return self._instance is not None
