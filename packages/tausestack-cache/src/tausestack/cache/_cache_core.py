"""The part of :class:`~tausestack.cache.Cache` that @cached and the public methods share: keys,
failure handling, removal, stats and lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from tausestack.cache._errors import PayloadRejectedError
from tausestack.cache._keys import MAX_KEY_LENGTH, bad_key, check_namespace, check_tags, glob_escape
from tausestack.cache._settings import CacheSettings
from tausestack.cache._stats import CacheStats
from tausestack.cache._switch import switch
from tausestack.cache.backends._base import MISSING, CacheBackend
from tausestack.core import (
    BackendRegistry,
    BackendUnavailableError,
    BackendURL,
    Duration,
    get_logger,
    parse_duration,
)

__all__ = ["CacheCore", "registry", "ttl_seconds"]

T = TypeVar("T")
_log = get_logger("cache")

registry: BackendRegistry[CacheBackend] = BackendRegistry("cache", variable="TAUSESTACK_CACHE_URL")
"""The cache backends by URL scheme (entry points ``tausestack.cache.backends``)."""


def ttl_seconds(ttl: Duration | None, default: float | None) -> float | None:
    if ttl is None:
        return default
    if (type(ttl) is int or type(ttl) is float) and ttl >= 0:
        return float(ttl)
    return parse_duration(ttl, name="ttl")


class CacheCore:
    """Keys, failure handling, removal, stats and lifecycle; see :class:`~tausestack.cache.Cache`."""

    def __init__(
        self,
        url_or_backend: str | BackendURL | CacheBackend | None = None,
        *,
        namespace: str | None = None,
        default_ttl: Duration | None = None,
        fail_open: bool | None = None,
    ) -> None:
        if isinstance(url_or_backend, CacheBackend):
            backend = url_or_backend
        else:
            backend = registry.create(url_or_backend if url_or_backend is not None else CacheSettings().url)
        self._backend = backend
        self._get = backend.get
        self.namespace = check_namespace(namespace) if namespace is not None else None
        self.default_ttl = ttl_seconds(default_ttl, backend.default_ttl)
        self.fail_open = backend.fail_open if fail_open is None else fail_open
        self._off = 0
        self._hits = self._misses = self._sets = self._deletes = self._errors = 0

    @property
    def backend(self) -> CacheBackend:
        """The backend this cache stores into."""
        return self._backend

    def __repr__(self) -> str:
        return f"Cache({self.describe()!r})"

    # -- keys ----------------------------------------------------------------------------------

    def _key(self, key: str, namespace: str | None) -> str:
        if type(key) is not str or not key or len(key) > MAX_KEY_LENGTH:
            raise bad_key(key)
        ns = self.namespace if namespace is None else check_namespace(namespace)
        return f"{ns}:{key}" if ns else key

    def full_key(self, key: str, *, namespace: str | None = None) -> str:
        """The key as the backend stores it (namespace applied)."""
        return self._key(key, namespace)

    def _prefix(self, namespace: str | None) -> str:
        ns = self.namespace if namespace is None else check_namespace(namespace)
        return f"{ns}:" if ns else ""

    def _failed(self, exc: Exception, operation: str) -> None:
        """Count a backend failure; re-raise it unless the cache fails open."""
        self._errors += 1
        if not self.fail_open or not isinstance(exc, BackendUnavailableError):
            raise exc
        _log.warning(
            "cache %s failed on %s, served as a miss (fail_open): %s", operation, self.describe(), exc
        )

    @property
    def _enabled(self) -> bool:
        return not (self._off or switch.off)

    # -- what @cached uses (full keys, MISSING on a miss) ----------------------------------------

    def _lookup(self, full: str) -> Any:
        try:
            value = self._get(full)
        except (BackendUnavailableError, PayloadRejectedError) as exc:
            self._failed(exc, "get")
            return MISSING
        if value is MISSING:
            self._misses += 1
        else:
            self._hits += 1
        return value

    async def _alookup(self, full: str) -> Any:
        try:
            value = await self._backend.aget(full)
        except (BackendUnavailableError, PayloadRejectedError) as exc:
            self._failed(exc, "get")
            return MISSING
        if value is MISSING:
            self._misses += 1
        else:
            self._hits += 1
        return value

    def _store(self, full: str, value: Any, ttl: float | None, tags: Sequence[str]) -> None:
        if not self._enabled:
            return
        try:
            self._backend.set(full, value, ttl, tags)
            self._sets += 1
        except BackendUnavailableError as exc:
            self._failed(exc, "set")

    async def _astore(self, full: str, value: Any, ttl: float | None, tags: Sequence[str]) -> None:
        if not self._enabled:
            return
        try:
            await self._backend.aset(full, value, ttl, tags)
            self._sets += 1
        except BackendUnavailableError as exc:
            self._failed(exc, "set")

    # -- removal -------------------------------------------------------------------------------

    def delete(self, key: str, *, namespace: str | None = None) -> bool:
        """Remove ``key``; whether it was there."""
        full = self._key(key, namespace)
        self._deletes += 1
        return self._removal(lambda: self._backend.delete(full), "delete", False)

    async def adelete(self, key: str, *, namespace: str | None = None) -> bool:
        """Async twin of :meth:`delete`."""
        full = self._key(key, namespace)
        self._deletes += 1
        try:
            return await self._backend.adelete(full)
        except BackendUnavailableError as exc:
            self._failed(exc, "delete")
            return False

    def delete_many(self, keys: Iterable[str], *, namespace: str | None = None) -> int:
        """Remove every key of ``keys``; how many were there."""
        full = [self._key(key, namespace) for key in keys]
        self._deletes += len(full)
        return self._removal(lambda: self._backend.delete_many(full), "delete_many", 0)

    async def adelete_many(self, keys: Iterable[str], *, namespace: str | None = None) -> int:
        """Async twin of :meth:`delete_many`."""
        full = [self._key(key, namespace) for key in keys]
        self._deletes += len(full)
        try:
            return await self._backend.adelete_many(full)
        except BackendUnavailableError as exc:
            self._failed(exc, "delete_many")
            return 0

    def clear(self, namespace: str | None = None) -> int:
        """Remove every key of ``namespace`` (or of the cache's namespace, or all its keys).

        On Redis only keys under the backend's prefix are touched, never the whole database.
        """
        prefix = self._prefix(namespace)
        return self._removal(lambda: self._backend.clear(prefix), "clear", 0)

    async def aclear(self, namespace: str | None = None) -> int:
        """Async twin of :meth:`clear`."""
        prefix = self._prefix(namespace)
        try:
            return await self._backend.aclear(prefix)
        except BackendUnavailableError as exc:
            self._failed(exc, "clear")
            return 0

    def delete_matching(self, pattern: str, *, namespace: str | None = None) -> int:
        """Remove the keys matching the glob ``pattern`` (``"user:*"``) within the namespace."""
        full = glob_escape(self._prefix(namespace)) + self._pattern(pattern)
        return self._removal(lambda: self._backend.delete_matching(full), "delete_matching", 0)

    async def adelete_matching(self, pattern: str, *, namespace: str | None = None) -> int:
        """Async twin of :meth:`delete_matching`."""
        full = glob_escape(self._prefix(namespace)) + self._pattern(pattern)
        try:
            return await self._backend.adelete_matching(full)
        except BackendUnavailableError as exc:
            self._failed(exc, "delete_matching")
            return 0

    def invalidate_tags(self, *tags: str) -> int:
        """Remove every key stored with any of ``tags``; how many were removed."""
        checked = check_tags(tags)
        return self._removal(lambda: self._backend.invalidate_tags(checked), "invalidate_tags", 0)

    async def ainvalidate_tags(self, *tags: str) -> int:
        """Async twin of :meth:`invalidate_tags`."""
        checked = check_tags(tags)
        try:
            return await self._backend.ainvalidate_tags(checked)
        except BackendUnavailableError as exc:
            self._failed(exc, "invalidate_tags")
            return 0

    @staticmethod
    def _pattern(pattern: str) -> str:
        if not isinstance(pattern, str) or not pattern:
            raise bad_key(pattern)
        return pattern

    def _removal(self, operation: Callable[[], T], name: str, fallback: T) -> T:
        try:
            return operation()
        except BackendUnavailableError as exc:
            self._failed(exc, name)
            return fallback

    # -- stats, switches, lifecycle --------------------------------------------------------------

    def stats(self) -> CacheStats:
        """Counters since this cache was built or :meth:`reset_stats` was called."""
        return CacheStats(self._hits, self._misses, self._sets, self._deletes, self._errors)

    def reset_stats(self) -> None:
        """Set every counter back to zero."""
        self._hits = self._misses = self._sets = self._deletes = self._errors = 0

    @contextmanager
    def disabled(self) -> Iterator[None]:
        """Turn this cache off inside the ``with`` block: reads miss, writes are skipped."""
        self._off += 1
        try:
            yield
        finally:
            self._off -= 1

    def health(self) -> None:
        """Check the backend answers; :class:`~tausestack.core.BackendUnavailableError` if not."""
        self._backend.health()

    async def ahealth(self) -> None:
        """Async twin of :meth:`health`."""
        await self._backend.ahealth()

    def close(self) -> None:
        """Release the backend's connections (it reconnects on next use)."""
        self._backend.close()

    async def aclose(self) -> None:
        """Async twin of :meth:`close`."""
        await self._backend.aclose()

    def describe(self) -> str:
        """The backend as short redacted text, e.g. ``redis://127.0.0.1:6379/0`` (no I/O)."""
        return self._backend.describe()
