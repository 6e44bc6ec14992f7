"""``memory://``: a bounded in-process LRU with per-key TTL (the default).

Values are kept as the Python objects you stored (no serialization, so a hit costs a dict lookup):
mutating a returned object mutates the cached one. Reads take no lock; writes take one. Expired
entries are dropped when read and when the cache is full, least recently used first.

``memory://?max_size=10000&ttl=5m``
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from time import monotonic
from typing import Any

from tausestack.cache.backends._base import COMMON_OPTIONS, MISSING, CacheBackend
from tausestack.core import BackendURL, InvalidInputError

__all__ = ["MemoryCacheBackend"]

# An entry: (value, expires_at or 0.0 for never, tags).
_Entry = tuple[Any, float, tuple[str, ...]]


class MemoryCacheBackend(CacheBackend):
    """An LRU of at most ``max_size`` entries, each with an optional TTL.

    >>> backend = MemoryCacheBackend(max_size=2)
    >>> backend.set("a", 1, None); backend.get("a")
    1
    """

    scheme = "memory"

    def __init__(
        self, max_size: int = 10_000, *, default_ttl: float | None = None, fail_open: bool = False
    ) -> None:
        super().__init__(default_ttl=default_ttl, fail_open=fail_open)
        if max_size < 1:
            raise InvalidInputError(f"max_size must be at least 1, got {max_size}")
        self.max_size = max_size
        self._data: OrderedDict[str, _Entry] = OrderedDict()
        self._tags: dict[str, set[str]] = {}
        self._lock = threading.RLock()

    @classmethod
    def from_url(cls, url: BackendURL) -> MemoryCacheBackend:
        url.check_options(COMMON_OPTIONS | {"max_size"})
        return cls(url.option_int("max_size", 10_000, minimum=1), **cls.common_options(url))

    def __len__(self) -> int:
        return len(self._data)

    # -- reads (lock-free) -----------------------------------------------------------------------

    def get(self, key: str) -> Any:
        entry = self._data.get(key)
        if entry is None:
            return MISSING
        expires = entry[1]
        if expires and expires <= monotonic():
            self._drop_if_same(key, entry)
            return MISSING
        try:  # noqa: SIM105 - contextlib.suppress costs too much on the hit path
            self._data.move_to_end(key)
        except KeyError:  # removed by another thread meanwhile: still a hit on what we read
            pass
        return entry[0]

    def get_many(self, keys: Sequence[str]) -> list[Any]:
        get = self.get
        return [get(key) for key in keys]

    # -- writes ----------------------------------------------------------------------------------

    def set(self, key: str, value: Any, ttl: float | None, tags: Sequence[str] = ()) -> None:
        expires = monotonic() + ttl if ttl is not None else 0.0
        entry = (value, expires, tuple(tags))
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None and old[2]:
                self._untag(key, old[2])
            self._data[key] = entry
            for tag in entry[2]:
                self._tags.setdefault(tag, set()).add(key)
            if len(self._data) > self.max_size:
                self._evict()

    def set_many(self, items: Mapping[str, Any], ttl: float | None, tags: Sequence[str] = ()) -> None:
        with self._lock:
            for key, value in items.items():
                self.set(key, value, ttl, tags)

    def add(self, key: str, value: Any, ttl: float | None) -> bool:
        with self._lock:
            if self.get(key) is not MISSING:
                return False
            self.set(key, value, ttl)
            return True

    def delete(self, key: str) -> bool:
        with self._lock:
            entry = self._data.pop(key, None)
            if entry is None:
                return False
            if entry[2]:
                self._untag(key, entry[2])
            return not (entry[1] and entry[1] <= monotonic())

    def delete_many(self, keys: Iterable[str]) -> int:
        with self._lock:
            return sum(1 for key in keys if self.delete(key))

    def release(self, key: str, token: str) -> bool:
        with self._lock:
            if self.get(key) == token:
                return self.delete(key)
            return False

    def incr(self, key: str, delta: int, ttl: float | None) -> int:
        with self._lock:
            current = self.get(key)
            if current is MISSING:
                self.set(key, delta, ttl)
                return delta
            if type(current) is not int:
                raise InvalidInputError(f"cannot increment {key!r}: it holds a {type(current).__name__}")
            entry = self._data[key]
            self._data[key] = (current + delta, entry[1], entry[2])
            return current + delta

    def clear(self, prefix: str = "") -> int:
        with self._lock:
            if not prefix:
                count = len(self._data)
                self._data.clear()
                self._tags.clear()
                return count
            doomed = [key for key in self._data if key.startswith(prefix)]
            return self.delete_many(doomed)

    def delete_matching(self, pattern: str) -> int:
        compiled = re.compile(fnmatch.translate(pattern))
        with self._lock:
            doomed = [key for key in self._data if compiled.match(key)]
            return self.delete_many(doomed)

    def invalidate_tags(self, tags: Sequence[str]) -> int:
        with self._lock:
            doomed: set[str] = set()
            for tag in tags:
                doomed |= self._tags.pop(tag, set())
            return self.delete_many(doomed)

    def describe(self) -> str:
        return f"memory://?max_size={self.max_size}"

    # -- async twins: no I/O, so no worker thread ------------------------------------------------

    async def aget(self, key: str) -> Any:
        return self.get(key)

    async def aget_many(self, keys: Sequence[str]) -> list[Any]:
        return self.get_many(keys)

    async def aset(self, key: str, value: Any, ttl: float | None, tags: Sequence[str] = ()) -> None:
        self.set(key, value, ttl, tags)

    async def aset_many(self, items: Mapping[str, Any], ttl: float | None, tags: Sequence[str] = ()) -> None:
        self.set_many(items, ttl, tags)

    async def aadd(self, key: str, value: Any, ttl: float | None) -> bool:
        return self.add(key, value, ttl)

    async def adelete(self, key: str) -> bool:
        return self.delete(key)

    async def adelete_many(self, keys: Iterable[str]) -> int:
        return self.delete_many(keys)

    async def arelease(self, key: str, token: str) -> bool:
        return self.release(key, token)

    async def aincr(self, key: str, delta: int, ttl: float | None) -> int:
        return self.incr(key, delta, ttl)

    async def aclear(self, prefix: str = "") -> int:
        return self.clear(prefix)

    async def adelete_matching(self, pattern: str) -> int:
        return self.delete_matching(pattern)

    async def ainvalidate_tags(self, tags: Sequence[str]) -> int:
        return self.invalidate_tags(tags)

    async def ahealth(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    # -- internals -------------------------------------------------------------------------------

    def _drop_if_same(self, key: str, entry: _Entry) -> None:
        with self._lock:
            if self._data.get(key) is entry:
                del self._data[key]
                if entry[2]:
                    self._untag(key, entry[2])

    def _untag(self, key: str, tags: tuple[str, ...]) -> None:
        for tag in tags:
            keys = self._tags.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tags[tag]

    def _evict(self) -> None:
        while len(self._data) > self.max_size:
            key, entry = self._data.popitem(last=False)
            if entry[2]:
                self._untag(key, entry[2])
