"""``Cache``: one public object over any backend, sync methods and their async twins."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

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
    InvalidInputError,
    get_logger,
    parse_duration,
)

if TYPE_CHECKING:
    from tausestack.cache._decorator import Cached

__all__ = ["Cache", "registry"]

T = TypeVar("T")
_log = get_logger("cache")

registry: BackendRegistry[CacheBackend] = BackendRegistry("cache", variable="TAUSESTACK_CACHE_URL")
"""The cache backends by URL scheme (entry points ``tausestack.cache.backends``)."""


def _seconds(ttl: Duration | None, default: float | None) -> float | None:
    if ttl is None:
        return default
    if (type(ttl) is int or type(ttl) is float) and ttl >= 0:
        return float(ttl)
    return parse_duration(ttl, name="ttl")


class Cache:
    """A cache over one backend: ``memory://`` (default), ``disk://dir`` or ``redis://host/db``.

    >>> cache = Cache("memory://?max_size=1000")
    >>> cache.set("user:1", {"name": "Ada"}, ttl="5m")
    >>> cache.get("user:1")
    {'name': 'Ada'}

    ``namespace`` prefixes every key (``"{namespace}:{key}"``); each method also takes its own
    ``namespace=``. ``default_ttl`` applies when ``set`` gets none (else the URL's ``?ttl=``, else
    no expiry). ``fail_open=True`` (or ``?fail_open=true``) serves an unreachable backend as a
    miss and skips writes, logging a warning; otherwise
    :class:`~tausestack.core.BackendUnavailableError` is raised.

    Errors: :class:`~tausestack.core.InvalidKeyError` for a bad key, namespace or tag,
    :class:`~tausestack.cache.SerializationError` for a value the serializer cannot store (both
    before any I/O), :class:`~tausestack.cache.PayloadRejectedError` for a stored payload that is
    refused (a tampered pickle).
    """

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
        self.default_ttl = _seconds(default_ttl, backend.default_ttl)
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

    # -- reads ---------------------------------------------------------------------------------

    def get(self, key: str, default: Any = None, *, namespace: str | None = None) -> Any:
        """The value stored under ``key``, or ``default`` when it is absent or expired.

        A stored ``None`` is returned as ``None`` (a hit), not as ``default``.
        """
        if self._off or switch.off:
            self._misses += 1
            return default
        if type(key) is not str or not key or len(key) > MAX_KEY_LENGTH:
            raise bad_key(key)
        if namespace is not None or self.namespace:
            key = self._key(key, namespace)
        try:
            value = self._get(key)
        except (BackendUnavailableError, PayloadRejectedError) as exc:
            self._failed(exc, "get")
            return default
        if value is MISSING:
            self._misses += 1
            return default
        self._hits += 1
        return value

    async def aget(self, key: str, default: Any = None, *, namespace: str | None = None) -> Any:
        """Async twin of :meth:`get`."""
        if self._off or switch.off:
            self._misses += 1
            return default
        full = self._key(key, namespace)
        try:
            value = await self._backend.aget(full)
        except (BackendUnavailableError, PayloadRejectedError) as exc:
            self._failed(exc, "get")
            return default
        if value is MISSING:
            self._misses += 1
            return default
        self._hits += 1
        return value

    def get_many(self, keys: Iterable[str], *, namespace: str | None = None) -> dict[str, Any]:
        """A dict of the keys that are present (absent keys are left out)."""
        names = list(keys)
        full = [self._key(key, namespace) for key in names]
        if not self._enabled or not full:
            self._misses += len(full)
            return {}
        try:
            values = self._backend.get_many(full)
        except (BackendUnavailableError, PayloadRejectedError) as exc:
            self._failed(exc, "get_many")
            return {}
        return self._found(names, values)

    async def aget_many(self, keys: Iterable[str], *, namespace: str | None = None) -> dict[str, Any]:
        """Async twin of :meth:`get_many`."""
        names = list(keys)
        full = [self._key(key, namespace) for key in names]
        if not self._enabled or not full:
            self._misses += len(full)
            return {}
        try:
            values = await self._backend.aget_many(full)
        except (BackendUnavailableError, PayloadRejectedError) as exc:
            self._failed(exc, "get_many")
            return {}
        return self._found(names, values)

    def _found(self, names: list[str], values: list[Any]) -> dict[str, Any]:
        found = {name: value for name, value in zip(names, values, strict=True) if value is not MISSING}
        self._hits += len(found)
        self._misses += len(names) - len(found)
        return found

    # -- writes --------------------------------------------------------------------------------

    def set(
        self,
        key: str,
        value: Any,
        ttl: Duration | None = None,
        *,
        namespace: str | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        """Store ``value`` under ``key`` for ``ttl`` (seconds, ``timedelta`` or ``"5m"``).

        ``ttl=None`` uses the default TTL; ``ttl=0`` removes the key. ``tags`` index the key for
        :meth:`invalidate_tags`.
        """
        if namespace is None and type(key) is str and key and len(key) <= MAX_KEY_LENGTH:
            full = f"{self.namespace}:{key}" if self.namespace else key
        else:
            full = self._key(key, namespace)
        seconds = _seconds(ttl, self.default_ttl)
        checked = check_tags(tags) if tags else ()
        if self._off or switch.off:
            return
        try:
            if seconds == 0:
                self._backend.delete(full)
            else:
                self._backend.set(full, value, seconds, checked)
                self._sets += 1
        except BackendUnavailableError as exc:
            self._failed(exc, "set")

    async def aset(
        self,
        key: str,
        value: Any,
        ttl: Duration | None = None,
        *,
        namespace: str | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        """Async twin of :meth:`set`."""
        full = self._key(key, namespace)
        seconds = _seconds(ttl, self.default_ttl)
        checked = check_tags(tags) if tags else ()
        if not self._enabled:
            return
        try:
            if seconds == 0:
                await self._backend.adelete(full)
            else:
                await self._backend.aset(full, value, seconds, checked)
                self._sets += 1
        except BackendUnavailableError as exc:
            self._failed(exc, "set")

    def set_many(
        self,
        items: Mapping[str, Any],
        ttl: Duration | None = None,
        *,
        namespace: str | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        """Store every ``key: value`` of ``items`` with the same TTL and tags."""
        full = {self._key(key, namespace): value for key, value in items.items()}
        seconds = _seconds(ttl, self.default_ttl)
        checked = check_tags(tags) if tags else ()
        if not self._enabled or not full:
            return
        try:
            if seconds == 0:
                self._backend.delete_many(list(full))
            else:
                self._backend.set_many(full, seconds, checked)
                self._sets += len(full)
        except BackendUnavailableError as exc:
            self._failed(exc, "set_many")

    async def aset_many(
        self,
        items: Mapping[str, Any],
        ttl: Duration | None = None,
        *,
        namespace: str | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        """Async twin of :meth:`set_many`."""
        full = {self._key(key, namespace): value for key, value in items.items()}
        seconds = _seconds(ttl, self.default_ttl)
        checked = check_tags(tags) if tags else ()
        if not self._enabled or not full:
            return
        try:
            if seconds == 0:
                await self._backend.adelete_many(list(full))
            else:
                await self._backend.aset_many(full, seconds, checked)
                self._sets += len(full)
        except BackendUnavailableError as exc:
            self._failed(exc, "set_many")

    def add(self, key: str, value: Any, ttl: Duration | None = None, *, namespace: str | None = None) -> bool:
        """Store ``value`` only if ``key`` is absent; whether it was stored (atomic)."""
        full = self._key(key, namespace)
        seconds = _seconds(ttl, self.default_ttl)
        if not self._enabled:
            return False
        try:
            return self._backend.add(full, value, seconds)
        except BackendUnavailableError as exc:
            self._failed(exc, "add")
            return False

    async def aadd(
        self, key: str, value: Any, ttl: Duration | None = None, *, namespace: str | None = None
    ) -> bool:
        """Async twin of :meth:`add`."""
        full = self._key(key, namespace)
        seconds = _seconds(ttl, self.default_ttl)
        if not self._enabled:
            return False
        try:
            return await self._backend.aadd(full, value, seconds)
        except BackendUnavailableError as exc:
            self._failed(exc, "add")
            return False

    def incr(
        self, key: str, delta: int = 1, *, ttl: Duration | None = None, namespace: str | None = None
    ) -> int:
        """Add ``delta`` to the integer at ``key`` (absent counts as 0) and return the new value.

        ``ttl`` applies only when the key is created. Raises
        :class:`~tausestack.core.InvalidInputError` when the key holds something else. Counters
        are never served fail-open: a failure raises.
        """
        full = self._key(key, namespace)
        if type(delta) is not int:
            raise InvalidInputError(f"incr() delta must be an int, not {type(delta).__name__}")
        seconds = _seconds(ttl, self.default_ttl)
        try:
            return self._backend.incr(full, delta, seconds)
        except BackendUnavailableError:
            self._errors += 1
            raise

    async def aincr(
        self, key: str, delta: int = 1, *, ttl: Duration | None = None, namespace: str | None = None
    ) -> int:
        """Async twin of :meth:`incr`."""
        full = self._key(key, namespace)
        if type(delta) is not int:
            raise InvalidInputError(f"incr() delta must be an int, not {type(delta).__name__}")
        seconds = _seconds(ttl, self.default_ttl)
        try:
            return await self._backend.aincr(full, delta, seconds)
        except BackendUnavailableError:
            self._errors += 1
            raise

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

    def cached(
        self,
        ttl: Duration | None = None,
        *,
        key: str | Callable[..., str] | None = None,
        namespace: str | None = None,
        tags: Sequence[str] = (),
        lock_timeout: Duration = 30,
        early_refresh: Duration | None = None,
    ) -> Callable[[Callable[..., Any]], Cached[..., Any]]:
        """``@cache.cached(...)``: :func:`tausestack.cache.cached` bound to this cache."""
        from tausestack.cache._decorator import cached

        return cached(
            ttl,
            key=key,
            namespace=namespace,
            tags=tags,
            cache=self,
            lock_timeout=lock_timeout,
            early_refresh=early_refresh,
        )

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
