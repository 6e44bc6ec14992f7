"""``disk://dir``: a cache on local disk through diskcache (``tausestack-cache[disk]``).

``disk://.tausestack/cache?size_limit=1073741824&serializer=json&ttl=1h``

diskcache pickles any value that is not bytes, str, int or float and unpickles whatever mode a
row says, which makes its files a code-execution risk. This backend stores only bytes it
serialized itself (JSON by default) and integers (``incr``), through a ``Disk`` subclass that
refuses to pickle on write and refuses pickled rows and keys on read. Several processes may
share the directory; ``@cached`` then locks across them. Nothing is created until first use.
"""

from __future__ import annotations

import fnmatch
import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cache as _once
from pathlib import Path
from typing import Any

from tausestack.cache._errors import PayloadRejectedError
from tausestack.cache._serializers import JSONSerializer, Serializer, serializer_from_url
from tausestack.cache.backends._base import COMMON_OPTIONS, MISSING, CacheBackend
from tausestack.core import BackendUnavailableError, BackendURL, InvalidInputError, TauseStackError

__all__ = ["DiskCacheBackend"]

_OPTIONS = COMMON_OPTIONS | {"serializer", "size_limit", "eviction_policy"}
_POLICIES = ("least-recently-stored", "least-recently-used", "least-frequently-used", "none")
_TAG_PREFIX = "__tag__:"
_ABSENT = object()


@_once
def _safe_disk() -> type[Any]:
    """diskcache's ``Disk`` that never pickles and never unpickles."""
    try:
        import diskcache
    except ImportError:
        from tausestack.core import ConfigurationError

        raise ConfigurationError(
            "the disk:// cache backend needs diskcache: pip install 'tausestack-cache[disk]'"
        ) from None

    class NoPickleDisk(diskcache.Disk):  # type: ignore[misc]
        def put(self, key: Any) -> Any:
            if type(key) is not str:
                raise TypeError(f"cache keys on disk must be str, not {type(key).__name__}")
            return super().put(key)

        def get(self, key: Any, raw: bool) -> Any:
            if not raw:
                raise PayloadRejectedError("a pickled key was found in the disk cache; refused")
            return super().get(key, raw)

        def store(self, value: Any, read: bool, key: Any = diskcache.core.UNKNOWN) -> Any:
            if not read and type(value) not in (bytes, int):
                raise TypeError(f"the disk cache stores bytes and int only, not {type(value).__name__}")
            return super().store(value, read, key=key)

        def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
            if mode == diskcache.core.MODE_PICKLE:
                raise PayloadRejectedError(
                    "a pickled value was found in the disk cache; refused without loading it"
                )
            return super().fetch(mode, filename, value, read)

    return NoPickleDisk


class DiskCacheBackend(CacheBackend):
    """A diskcache ``Cache`` in ``directory`` that stores serialized bytes only.

    >>> backend = DiskCacheBackend(".tausestack/cache")  # doctest: +SKIP
    """

    scheme = "disk"
    distributed = True

    def __init__(
        self,
        directory: str | Path = ".tausestack/cache",
        *,
        serializer: Serializer | None = None,
        size_limit: int = 2**30,
        eviction_policy: str = "least-recently-used",
        default_ttl: float | None = None,
        fail_open: bool = False,
    ) -> None:
        super().__init__(default_ttl=default_ttl, fail_open=fail_open)
        if eviction_policy not in _POLICIES:
            raise InvalidInputError(f"eviction_policy must be one of {', '.join(_POLICIES)}")
        self.directory = Path(directory)
        self.serializer = serializer if serializer is not None else JSONSerializer()
        self.size_limit = size_limit
        self.eviction_policy = eviction_policy
        self._cache: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> DiskCacheBackend:
        url.check_options(_OPTIONS)
        return cls(
            url.location or ".tausestack/cache",
            serializer=serializer_from_url(url.option("serializer"), variable=url.variable),
            size_limit=url.option_int("size_limit", 2**30, minimum=1),
            eviction_policy=url.option("eviction_policy", "least-recently-used") or "least-recently-used",
            **cls.common_options(url),
        )

    @property
    def cache(self) -> Any:
        """The underlying ``diskcache.Cache`` (opened on first use)."""
        if self._cache is None:
            with self._lock:
                if self._cache is None:
                    disk = _safe_disk()
                    import diskcache

                    try:
                        self._cache = diskcache.Cache(
                            str(self.directory),
                            disk=disk,
                            size_limit=self.size_limit,
                            eviction_policy=self.eviction_policy,
                        )
                    except OSError as exc:
                        raise BackendUnavailableError(
                            f"cannot open the disk cache at {self.directory}: {exc}"
                        ) from exc
        return self._cache

    def _decode(self, data: Any) -> Any:
        if data is _ABSENT:
            return MISSING
        if type(data) is int:
            return data
        return self.serializer.loads(data)

    # -- operations ----------------------------------------------------------------------------

    def get(self, key: str) -> Any:
        return self._decode(self.cache.get(key, default=_ABSENT))

    def set(self, key: str, value: Any, ttl: float | None, tags: Sequence[str] = ()) -> None:
        data = self.serializer.dumps(value)
        cache = self.cache
        if not tags:
            cache.set(key, data, expire=ttl)
            return
        with cache.transact():
            cache.set(key, data, expire=ttl)
            for tag in tags:
                self._tag(tag, key)

    def set_many(self, items: Mapping[str, Any], ttl: float | None, tags: Sequence[str] = ()) -> None:
        encoded = {key: self.serializer.dumps(value) for key, value in items.items()}
        cache = self.cache
        with cache.transact():
            for key, data in encoded.items():
                cache.set(key, data, expire=ttl)
                for tag in tags:
                    self._tag(tag, key)

    def _tag(self, tag: str, key: str) -> None:
        name = _TAG_PREFIX + tag
        members = set(json.loads(self.cache.get(name, default=b"[]")))
        if key not in members:
            members.add(key)
            self.cache.set(name, json.dumps(sorted(members)).encode())

    def add(self, key: str, value: Any, ttl: float | None) -> bool:
        return bool(self.cache.add(key, self.serializer.dumps(value), expire=ttl))

    def delete(self, key: str) -> bool:
        return bool(self.cache.delete(key))

    def release(self, key: str, token: str) -> bool:
        cache = self.cache
        expected = self.serializer.dumps(token)
        with cache.transact():
            if cache.get(key, default=_ABSENT) == expected:
                return bool(cache.delete(key))
        return False

    def incr(self, key: str, delta: int, ttl: float | None) -> int:
        cache = self.cache
        try:
            with cache.transact():
                current = cache.get(key, default=_ABSENT)
                if current is _ABSENT:
                    cache.set(key, delta, expire=ttl)
                    return delta
                if type(current) is not int:
                    raise InvalidInputError(f"cannot increment {key!r}: it does not hold an integer")
                return int(cache.incr(key, delta))
        except TypeError as exc:
            raise InvalidInputError(f"cannot increment {key!r}: {exc}") from None

    def clear(self, prefix: str = "") -> int:
        if not prefix:
            return int(self.cache.clear())
        return self.delete_many([key for key in self._keys() if key.startswith(prefix)])

    def delete_matching(self, pattern: str) -> int:
        compiled = re.compile(fnmatch.translate(pattern))
        return self.delete_many([key for key in self._keys() if compiled.match(key)])

    def invalidate_tags(self, tags: Sequence[str]) -> int:
        cache = self.cache
        removed = 0
        with cache.transact():
            for tag in tags:
                name = _TAG_PREFIX + tag
                members = json.loads(cache.get(name, default=b"[]"))
                removed += sum(1 for key in members if cache.delete(key))
                cache.delete(name)
        return removed

    def _keys(self) -> list[str]:
        return [key for key in self.cache.iterkeys() if not key.startswith(_TAG_PREFIX)]

    def delete_many(self, keys: Iterable[str]) -> int:
        cache = self.cache
        with cache.transact():
            return sum(1 for key in keys if cache.delete(key))

    def health(self) -> None:
        try:
            self.cache.get("__health__")
        except TauseStackError:
            raise
        except Exception as exc:
            raise BackendUnavailableError(f"the disk cache at {self.directory} is not usable: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            cache, self._cache = self._cache, None
        if cache is not None:
            cache.close()

    def describe(self) -> str:
        return f"disk://{self.directory.as_posix()}"
