"""``Cache``: one public object over any backend, sync methods and their async twins."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tausestack.cache._cache_core import CacheCore, registry, ttl_seconds
from tausestack.cache._errors import PayloadRejectedError
from tausestack.cache._keys import MAX_KEY_LENGTH, bad_key, check_tags
from tausestack.cache._switch import switch
from tausestack.cache.backends._base import MISSING
from tausestack.core import BackendUnavailableError, Duration, InvalidInputError

if TYPE_CHECKING:
    from tausestack.cache._decorator import Cached

__all__ = ["Cache", "registry"]


class Cache(CacheCore):
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
        seconds = ttl_seconds(ttl, self.default_ttl)
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
        seconds = ttl_seconds(ttl, self.default_ttl)
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
        seconds = ttl_seconds(ttl, self.default_ttl)
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
        seconds = ttl_seconds(ttl, self.default_ttl)
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
        seconds = ttl_seconds(ttl, self.default_ttl)
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
        seconds = ttl_seconds(ttl, self.default_ttl)
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
        seconds = ttl_seconds(ttl, self.default_ttl)
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
        seconds = ttl_seconds(ttl, self.default_ttl)
        try:
            return await self._backend.aincr(full, delta, seconds)
        except BackendUnavailableError:
            self._errors += 1
            raise

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
