"""The contract every cache backend implements: one small ABC, one file per backend.

Backends see full keys (namespace already applied) and TTLs already parsed into seconds
(``None`` means no expiry; the :class:`~tausestack.cache.Cache` never passes 0). ``get`` returns
:data:`MISSING` for an absent or expired key, so a stored ``None`` is a hit.

Async twins default to running the blocking method in a worker thread; backends with a native
async client (Redis) or no I/O at all (memory) override them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final

from tausestack.core import BackendURL, run_sync

__all__ = ["CacheBackend", "MISSING", "COMMON_OPTIONS"]


class _Missing:
    """The type of :data:`MISSING`: tells "no such key" from a stored ``None``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()
"""Returned by :meth:`CacheBackend.get` (and found in ``get_many`` results) for an absent key."""

COMMON_OPTIONS = frozenset({"ttl", "fail_open"})


class CacheBackend(ABC):
    """Base class of cache backends.

    ``distributed`` is True when other processes share the data (disk, Redis): ``@cached`` then
    takes a lock in the backend (:meth:`add` + :meth:`release`) so one process computes a missing
    value. ``default_ttl`` (URL option ``?ttl=5m``) applies when ``set`` gets no TTL, and
    ``fail_open`` (``?fail_open=true``) makes the cache serve an unreachable backend as a miss.
    """

    scheme: ClassVar[str]
    distributed: ClassVar[bool] = False

    def __init__(self, *, default_ttl: float | None = None, fail_open: bool = False) -> None:
        self.default_ttl = default_ttl
        self.fail_open = fail_open

    @staticmethod
    def common_options(url: BackendURL) -> dict[str, Any]:
        """``default_ttl`` and ``fail_open`` read from a URL's options."""
        return {
            "default_ttl": url.option_duration("ttl", None),
            "fail_open": url.option_bool("fail_open", False),
        }

    # -- the operations ------------------------------------------------------------------------

    @abstractmethod
    def get(self, key: str) -> Any:
        """The value stored under ``key``, or :data:`MISSING`."""

    def get_many(self, keys: Sequence[str]) -> list[Any]:
        """Values in the order of ``keys``, :data:`MISSING` where absent."""
        return [self.get(key) for key in keys]

    @abstractmethod
    def set(self, key: str, value: Any, ttl: float | None, tags: Sequence[str] = ()) -> None:
        """Store ``value`` for ``ttl`` seconds (``None``: no expiry), indexed under ``tags``."""

    def set_many(self, items: Mapping[str, Any], ttl: float | None, tags: Sequence[str] = ()) -> None:
        """Store every item of ``items``."""
        for key, value in items.items():
            self.set(key, value, ttl, tags)

    @abstractmethod
    def add(self, key: str, value: Any, ttl: float | None) -> bool:
        """Store ``value`` only if ``key`` is absent (atomically); whether it was stored."""

    @abstractmethod
    def delete(self, key: str) -> bool:
        """Remove ``key``; whether it existed."""

    def delete_many(self, keys: Iterable[str]) -> int:
        """Remove every key of ``keys``; how many existed."""
        return sum(1 for key in keys if self.delete(key))

    @abstractmethod
    def release(self, key: str, token: str) -> bool:
        """Delete ``key`` only if it holds ``token`` (atomically): how a lock is released."""

    @abstractmethod
    def incr(self, key: str, delta: int, ttl: float | None) -> int:
        """Add ``delta`` to the integer at ``key`` (0 when absent; ``ttl`` applies to a new key)."""

    @abstractmethod
    def clear(self, prefix: str = "") -> int:
        """Remove every key that starts with ``prefix`` (all of this cache's keys for ``""``)."""

    @abstractmethod
    def delete_matching(self, pattern: str) -> int:
        """Remove every key matching the glob ``pattern`` (``*``, ``?``, ``[abc]``)."""

    @abstractmethod
    def invalidate_tags(self, tags: Sequence[str]) -> int:
        """Remove every key stored with any of ``tags``; how many were removed."""

    def health(self) -> None:
        """Raise :class:`~tausestack.core.BackendUnavailableError` unless the backend answers."""
        return

    def close(self) -> None:
        """Release connections; the backend reopens them on next use."""
        return

    @abstractmethod
    def describe(self) -> str:
        """The backend as a short redacted URL-like text (no passwords, no I/O)."""

    # -- async twins (worker thread by default) --------------------------------------------------

    async def aget(self, key: str) -> Any:
        return await run_sync(self.get, key)

    async def aget_many(self, keys: Sequence[str]) -> list[Any]:
        return await run_sync(self.get_many, keys)

    async def aset(self, key: str, value: Any, ttl: float | None, tags: Sequence[str] = ()) -> None:
        await run_sync(self.set, key, value, ttl, tags)

    async def aset_many(self, items: Mapping[str, Any], ttl: float | None, tags: Sequence[str] = ()) -> None:
        await run_sync(self.set_many, items, ttl, tags)

    async def aadd(self, key: str, value: Any, ttl: float | None) -> bool:
        return await run_sync(self.add, key, value, ttl)

    async def adelete(self, key: str) -> bool:
        return await run_sync(self.delete, key)

    async def adelete_many(self, keys: Iterable[str]) -> int:
        return await run_sync(self.delete_many, list(keys))

    async def arelease(self, key: str, token: str) -> bool:
        return await run_sync(self.release, key, token)

    async def aincr(self, key: str, delta: int, ttl: float | None) -> int:
        return await run_sync(self.incr, key, delta, ttl)

    async def aclear(self, prefix: str = "") -> int:
        return await run_sync(self.clear, prefix)

    async def adelete_matching(self, pattern: str) -> int:
        return await run_sync(self.delete_matching, pattern)

    async def ainvalidate_tags(self, tags: Sequence[str]) -> int:
        return await run_sync(self.invalidate_tags, tags)

    async def ahealth(self) -> None:
        await run_sync(self.health)

    async def aclose(self) -> None:
        await run_sync(self.close)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()!r})"
