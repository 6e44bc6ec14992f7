"""``@cached``: memoize sync and async functions and methods in a cache, with single-flight."""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, ParamSpec, Protocol, TypeVar, overload

from tausestack.cache._cache import Cache
from tausestack.cache._callkeys import CallKey, _template_fields
from tausestack.cache._default import default
from tausestack.cache._flight import TaskFlights, ThreadFlights
from tausestack.cache._keys import check_namespace, check_tags
from tausestack.cache._locks import alocked, locked
from tausestack.cache._switch import switch
from tausestack.cache.backends._base import MISSING
from tausestack.core import Duration, InvalidInputError, get_logger, parse_duration

__all__ = ["cached", "Cached"]

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
_log = get_logger("cache")


class Cached(Protocol[P, R_co]):
    """What ``@cached`` returns: the function, plus ways to drop its cached results."""

    @property
    def __wrapped__(self) -> Callable[P, R_co]: ...

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...

    def key_for(self, *args: Any, **kwargs: Any) -> str:
        """The cache key (without namespace) a call with these arguments uses."""
        ...

    def invalidate(self, *args: Any, **kwargs: Any) -> bool:
        """Drop the result cached for these arguments (``self``/``cls`` left out); whether it existed."""
        ...

    async def ainvalidate(self, *args: Any, **kwargs: Any) -> bool:
        """Async twin of :meth:`invalidate`."""
        ...

    def invalidate_all(self) -> int:
        """Drop every result of this function (keys matching its default key or template)."""
        ...

    async def ainvalidate_all(self) -> int:
        """Async twin of :meth:`invalidate_all`."""
        ...


class _Spec:
    """Everything a decorated function needs, resolved once at decoration time."""

    def __init__(
        self,
        func: Callable[..., Any],
        *,
        ttl: float | None,
        key: str | Callable[..., str] | None,
        namespace: str | None,
        tags: tuple[str, ...],
        cache: Cache | None,
        lock_timeout: float,
        early_refresh: float | None,
    ) -> None:
        self.keys = CallKey(func, key)
        self.ttl = ttl
        self.namespace = namespace
        self.tags = tags
        self.tag_templates = any("{" in tag for tag in tags)
        if self.tag_templates:
            for tag in tags:
                _template_fields(tag, self.keys.names, self.keys.prefix)
        self.cache = cache
        self.lock_timeout = lock_timeout
        self.early_refresh = early_refresh

    def resolve(self) -> Cache:
        return self.cache if self.cache is not None else default.get()

    def tags_for(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, ...]:
        if not self.tag_templates:
            return self.tags
        mapping = dict(zip(self.keys.names, self.keys.values(args, kwargs), strict=True))
        return check_tags(tag.format_map(mapping) for tag in self.tags)

    def ttl_for(self, cache: Cache) -> float | None:
        return self.ttl if self.ttl is not None else cache.default_ttl

    def wrap(self, value: Any, ttl: float | None) -> Any:
        """The stored form: ``[value, refresh_at]`` with early refresh, else the value itself."""
        if self.early_refresh is None or ttl is None:
            return value
        return [value, time.time() + max(ttl - self.early_refresh, 0.0)]

    def unwrap(self, stored: Any) -> tuple[Any, bool]:
        """``(value, needs_refresh)``; ``(MISSING, False)`` when nothing usable is stored."""
        if self.early_refresh is None or stored is MISSING:
            return stored, False
        if isinstance(stored, (list, tuple)) and len(stored) == 2 and isinstance(stored[1], (int, float)):
            return stored[0], time.time() >= stored[1]
        return MISSING, False

    def full_key(self, cache: Cache, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        key = self.keys(args, kwargs)
        namespace = self.namespace if self.namespace is not None else cache.namespace
        return f"{namespace}:{key}" if namespace else key

    # -- invalidation (shared by sync and async wrappers) ----------------------------------------

    def attach(self, wrapper: Any) -> None:
        keys, spec = self.keys, self

        def key_for(*args: Any, **kwargs: Any) -> str:
            return keys(args, kwargs)

        def invalidate(*args: Any, **kwargs: Any) -> bool:
            return spec.resolve().delete(keys.for_invalidate(args, kwargs), namespace=spec.namespace)

        async def ainvalidate(*args: Any, **kwargs: Any) -> bool:
            return await spec.resolve().adelete(keys.for_invalidate(args, kwargs), namespace=spec.namespace)

        def invalidate_all() -> int:
            return spec.resolve().delete_matching(keys.pattern(), namespace=spec.namespace)

        async def ainvalidate_all() -> int:
            return await spec.resolve().adelete_matching(keys.pattern(), namespace=spec.namespace)

        wrapper.key_for = key_for
        wrapper.invalidate = invalidate
        wrapper.ainvalidate = ainvalidate
        wrapper.invalidate_all = invalidate_all
        wrapper.ainvalidate_all = ainvalidate_all


def _sync_wrapper(func: Callable[..., Any], spec: _Spec) -> Any:
    flights = ThreadFlights()

    def fill(cache: Cache, full: str, args: tuple[Any, ...], kwargs: dict[str, Any], recheck: bool) -> Any:
        def compute() -> Any:
            value = func(*args, **kwargs)
            ttl = spec.ttl_for(cache)
            cache._store(full, spec.wrap(value, ttl), ttl, spec.tags_for(args, kwargs))
            return value

        def peek() -> Any:
            if not recheck:
                return MISSING
            try:
                return spec.unwrap(cache.backend.get(full))[0]
            except Exception:
                return MISSING

        if cache.backend.distributed and spec.lock_timeout > 0:
            return locked(cache, full, spec.lock_timeout, peek, compute)
        current = peek()
        return compute() if current is MISSING else current

    refreshing: set[str] = set()
    refreshing_lock = threading.Lock()

    def refresh_in_background(cache: Cache, full: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        with refreshing_lock:
            if full in refreshing or flights.in_flight(full):
                return
            refreshing.add(full)

        def run() -> None:
            try:
                flights.run(full, lambda: fill(cache, full, args, kwargs, False))
            except Exception as exc:
                _log.warning("early refresh of %s failed: %s", spec.keys.prefix, exc)
            finally:
                with refreshing_lock:
                    refreshing.discard(full)

        threading.Thread(target=run, name=f"cache-refresh:{spec.keys.prefix}", daemon=True).start()

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = spec.cache if spec.cache is not None else default.get()
        if cache._off or switch.off:
            return func(*args, **kwargs)
        full = spec.full_key(cache, args, kwargs)
        stored = cache._lookup(full)
        if stored is not MISSING:
            if spec.early_refresh is None:
                return stored
            value, stale = spec.unwrap(stored)
            if value is not MISSING:
                if stale:
                    refresh_in_background(cache, full, args, kwargs)
                return value
        return flights.run(full, lambda: fill(cache, full, args, kwargs, True))

    spec.attach(wrapper)
    return wrapper


def _async_wrapper(func: Callable[..., Any], spec: _Spec) -> Any:
    flights = TaskFlights()
    background: set[asyncio.Task[Any]] = set()

    async def fill(
        cache: Cache, full: str, args: tuple[Any, ...], kwargs: dict[str, Any], recheck: bool
    ) -> Any:
        async def compute() -> Any:
            value = await func(*args, **kwargs)
            ttl = spec.ttl_for(cache)
            await cache._astore(full, spec.wrap(value, ttl), ttl, spec.tags_for(args, kwargs))
            return value

        async def peek() -> Any:
            if not recheck:
                return MISSING
            try:
                return spec.unwrap(await cache.backend.aget(full))[0]
            except Exception:
                return MISSING

        if cache.backend.distributed and spec.lock_timeout > 0:
            return await alocked(cache, full, spec.lock_timeout, peek, compute)
        current = await peek()
        return await compute() if current is MISSING else current

    refreshing: set[str] = set()

    async def refresh(cache: Cache, full: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            await flights.run(full, lambda: fill(cache, full, args, kwargs, False))
        except Exception as exc:
            _log.warning("early refresh of %s failed: %s", spec.keys.prefix, exc)
        finally:
            refreshing.discard(full)

    @functools.wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = spec.cache if spec.cache is not None else default.get()
        if cache._off or switch.off:
            return await func(*args, **kwargs)
        full = spec.full_key(cache, args, kwargs)
        stored = await cache._alookup(full)
        if stored is not MISSING:
            if spec.early_refresh is None:
                return stored
            value, stale = spec.unwrap(stored)
            if value is not MISSING:
                if stale and full not in refreshing and not flights.in_flight(full):
                    refreshing.add(full)
                    task = asyncio.get_running_loop().create_task(refresh(cache, full, args, kwargs))
                    background.add(task)
                    task.add_done_callback(background.discard)
                return value
        return await flights.run(full, lambda: fill(cache, full, args, kwargs, True))

    spec.attach(wrapper)
    return wrapper


@overload
def cached(ttl: Callable[P, R], /) -> Cached[P, R]: ...


@overload
def cached(
    ttl: Duration | None = None,
    *,
    key: str | Callable[..., str] | None = None,
    namespace: str | None = None,
    tags: Sequence[str] = (),
    cache: Cache | None = None,
    lock_timeout: Duration = 30,
    early_refresh: Duration | None = None,
) -> Callable[[Callable[P, R]], Cached[P, R]]: ...


def cached(
    ttl: Duration | Callable[..., Any] | None = None,
    *,
    key: str | Callable[..., str] | None = None,
    namespace: str | None = None,
    tags: Sequence[str] = (),
    cache: Cache | None = None,
    lock_timeout: Duration = 30,
    early_refresh: Duration | None = None,
) -> Any:
    """Cache a function's results: ``@cached(ttl="5m", key="user:{user_id}")``.

    Works on sync and async functions and methods. ``key`` is a ``str.format`` template over
    the parameters (``"user:{user_id}"``, ``"org:{self.org_id}"``), a callable taking the same
    arguments and returning the key, or omitted for a stable default that tells ``1`` from
    ``"1"``. ``None`` results are cached too. ``tags`` (templates allowed) index results for
    ``cache.invalidate_tags``. ``cache`` defaults to the module's default cache, looked up at
    call time (so ``cache.configure()`` in tests applies).

    Concurrent callers missing the same key run the function once (threads and asyncio tasks;
    across processes on Redis and disk through a lock held at most ``lock_timeout``).
    ``early_refresh="30s"`` recomputes a value in the background once it has less than 30 s
    to live, serving the current value meanwhile (the value is then stored as
    ``[value, refresh_at]``).

    >>> @cached(ttl="10m", key="user:{user_id}")
    ... def load_user(user_id: int) -> dict[str, object]:
    ...     return {"id": user_id}
    >>> load_user(1) == load_user(1)
    True
    >>> load_user.invalidate(1)
    True
    """
    if callable(ttl) and not isinstance(ttl, (int, float, str, timedelta)):
        return cached()(ttl)
    seconds = parse_duration(ttl, name="ttl") if ttl is not None else None
    lock_seconds = parse_duration(lock_timeout, name="lock_timeout")
    refresh = parse_duration(early_refresh, name="early_refresh") if early_refresh is not None else None
    if refresh is not None and (seconds is None or refresh >= seconds):
        raise InvalidInputError("early_refresh needs a ttl, and must be shorter than it")
    checked_namespace = check_namespace(namespace) if namespace is not None else None
    if isinstance(tags, str):
        raise InvalidInputError("tags must be a list of str, not a single str (use tags=[...])")
    checked_tags = tuple(tags) if any("{" in tag for tag in tags) else check_tags(tags)

    def decorate(func: Callable[..., Any]) -> Any:
        if not callable(func):
            raise InvalidInputError(f"@cached decorates functions, not {type(func).__name__}")
        spec = _Spec(
            func,
            ttl=seconds,
            key=key,
            namespace=checked_namespace,
            tags=checked_tags,
            cache=cache,
            lock_timeout=lock_seconds,
            early_refresh=refresh,
        )
        if inspect.iscoroutinefunction(func):
            return _async_wrapper(func, spec)
        return _sync_wrapper(func, spec)

    return decorate
