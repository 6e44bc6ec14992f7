"""tausestack.cache: memory, disk and Redis caching with ``@cached``, single-flight and safe serialization.

>>> from tausestack import cache
>>> cache.set("greeting", "hello", ttl="5m")
>>> cache.get("greeting")
'hello'
>>> @cache.cached(ttl="10m", key="square:{n}")
... def square(n: int) -> int:
...     return n * n
>>> square(4)
16

The module-level functions use a default :class:`Cache` built on first use from
``TAUSESTACK_CACHE_URL`` (``memory://`` when unset); ``Cache(url)`` builds independent ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tausestack.cache._cache import Cache, registry
from tausestack.cache._decorator import Cached, cached
from tausestack.cache._default import default as _default
from tausestack.cache._errors import PayloadRejectedError, SerializationError
from tausestack.cache._serializers import JSONSerializer, MsgpackSerializer, PickleSerializer, Serializer
from tausestack.cache._settings import CacheSettings
from tausestack.cache._stats import CacheStats
from tausestack.cache._switch import disabled
from tausestack.cache._version import __version__
from tausestack.cache.backends._base import MISSING, CacheBackend
from tausestack.cache.backends.memory import MemoryCacheBackend
from tausestack.core import BackendURL, Duration

__all__ = [
    "__version__",
    # the default cache
    "get",
    "aget",
    "set",
    "aset",
    "add",
    "aadd",
    "delete",
    "adelete",
    "get_many",
    "aget_many",
    "set_many",
    "aset_many",
    "delete_many",
    "adelete_many",
    "incr",
    "aincr",
    "clear",
    "aclear",
    "delete_matching",
    "adelete_matching",
    "invalidate_tags",
    "ainvalidate_tags",
    "cached",
    "disabled",
    "stats",
    "configure",
    "reset",
    "health",
    "ahealth",
    "close",
    "aclose",
    "describe",
    "get_cache",
    # instances and backends
    "Cache",
    "Cached",
    "CacheStats",
    "CacheSettings",
    "CacheBackend",
    "MemoryCacheBackend",
    "MISSING",
    "registry",
    # serialization
    "Serializer",
    "JSONSerializer",
    "MsgpackSerializer",
    "PickleSerializer",
    "SerializationError",
    "PayloadRejectedError",
]


def get_cache() -> Cache:
    """The default :class:`Cache` (built from the environment on first use)."""
    return _default.get()


def configure(url_or_backend: str | BackendURL | CacheBackend | Cache) -> None:
    """Make ``url_or_backend`` (a URL, ``secret:NAME``, a backend or a :class:`Cache`) the default."""
    _default.configure(url_or_backend if isinstance(url_or_backend, Cache) else Cache(url_or_backend))


def reset() -> None:
    """Forget (and close) the default cache; the next use reads the environment again."""
    _default.reset()


def get(key: str, default: Any = None, *, namespace: str | None = None) -> Any:
    """:meth:`Cache.get` on the default cache."""
    return _default.get().get(key, default, namespace=namespace)


async def aget(key: str, default: Any = None, *, namespace: str | None = None) -> Any:
    """:meth:`Cache.aget` on the default cache."""
    return await _default.get().aget(key, default, namespace=namespace)


def set(
    key: str,
    value: Any,
    ttl: Duration | None = None,
    *,
    namespace: str | None = None,
    tags: Sequence[str] = (),
) -> None:
    """:meth:`Cache.set` on the default cache."""
    _default.get().set(key, value, ttl, namespace=namespace, tags=tags)


async def aset(
    key: str,
    value: Any,
    ttl: Duration | None = None,
    *,
    namespace: str | None = None,
    tags: Sequence[str] = (),
) -> None:
    """:meth:`Cache.aset` on the default cache."""
    await _default.get().aset(key, value, ttl, namespace=namespace, tags=tags)


def add(key: str, value: Any, ttl: Duration | None = None, *, namespace: str | None = None) -> bool:
    """:meth:`Cache.add` on the default cache."""
    return _default.get().add(key, value, ttl, namespace=namespace)


async def aadd(key: str, value: Any, ttl: Duration | None = None, *, namespace: str | None = None) -> bool:
    """:meth:`Cache.aadd` on the default cache."""
    return await _default.get().aadd(key, value, ttl, namespace=namespace)


def delete(key: str, *, namespace: str | None = None) -> bool:
    """:meth:`Cache.delete` on the default cache."""
    return _default.get().delete(key, namespace=namespace)


async def adelete(key: str, *, namespace: str | None = None) -> bool:
    """:meth:`Cache.adelete` on the default cache."""
    return await _default.get().adelete(key, namespace=namespace)


def get_many(keys: Iterable[str], *, namespace: str | None = None) -> dict[str, Any]:
    """:meth:`Cache.get_many` on the default cache."""
    return _default.get().get_many(keys, namespace=namespace)


async def aget_many(keys: Iterable[str], *, namespace: str | None = None) -> dict[str, Any]:
    """:meth:`Cache.aget_many` on the default cache."""
    return await _default.get().aget_many(keys, namespace=namespace)


def set_many(
    items: Mapping[str, Any],
    ttl: Duration | None = None,
    *,
    namespace: str | None = None,
    tags: Sequence[str] = (),
) -> None:
    """:meth:`Cache.set_many` on the default cache."""
    _default.get().set_many(items, ttl, namespace=namespace, tags=tags)


async def aset_many(
    items: Mapping[str, Any],
    ttl: Duration | None = None,
    *,
    namespace: str | None = None,
    tags: Sequence[str] = (),
) -> None:
    """:meth:`Cache.aset_many` on the default cache."""
    await _default.get().aset_many(items, ttl, namespace=namespace, tags=tags)


def delete_many(keys: Iterable[str], *, namespace: str | None = None) -> int:
    """:meth:`Cache.delete_many` on the default cache."""
    return _default.get().delete_many(keys, namespace=namespace)


async def adelete_many(keys: Iterable[str], *, namespace: str | None = None) -> int:
    """:meth:`Cache.adelete_many` on the default cache."""
    return await _default.get().adelete_many(keys, namespace=namespace)


def incr(key: str, delta: int = 1, *, ttl: Duration | None = None, namespace: str | None = None) -> int:
    """:meth:`Cache.incr` on the default cache."""
    return _default.get().incr(key, delta, ttl=ttl, namespace=namespace)


async def aincr(
    key: str, delta: int = 1, *, ttl: Duration | None = None, namespace: str | None = None
) -> int:
    """:meth:`Cache.aincr` on the default cache."""
    return await _default.get().aincr(key, delta, ttl=ttl, namespace=namespace)


def clear(namespace: str | None = None) -> int:
    """:meth:`Cache.clear` on the default cache."""
    return _default.get().clear(namespace)


async def aclear(namespace: str | None = None) -> int:
    """:meth:`Cache.aclear` on the default cache."""
    return await _default.get().aclear(namespace)


def delete_matching(pattern: str, *, namespace: str | None = None) -> int:
    """:meth:`Cache.delete_matching` on the default cache."""
    return _default.get().delete_matching(pattern, namespace=namespace)


async def adelete_matching(pattern: str, *, namespace: str | None = None) -> int:
    """:meth:`Cache.adelete_matching` on the default cache."""
    return await _default.get().adelete_matching(pattern, namespace=namespace)


def invalidate_tags(*tags: str) -> int:
    """:meth:`Cache.invalidate_tags` on the default cache."""
    return _default.get().invalidate_tags(*tags)


async def ainvalidate_tags(*tags: str) -> int:
    """:meth:`Cache.ainvalidate_tags` on the default cache."""
    return await _default.get().ainvalidate_tags(*tags)


def stats() -> CacheStats:
    """The default cache's hit/miss/error counters."""
    return _default.get().stats()


# The module lifecycle (tausestack.core.ModuleDefault): health()/ahealth() check the default
# (building it on first use); close()/aclose() release its connections if it was built.
health = _default.health
ahealth = _default.ahealth
close = _default.close
aclose = _default.aclose


def describe() -> str:
    """The default cache's backend as short redacted text, without connecting."""
    if _default.is_built:
        return _default.get().describe()
    from tausestack.core import parse_url, redact_url

    url = CacheSettings().url
    try:
        return parse_url(url, variable="TAUSESTACK_CACHE_URL").redacted()
    except Exception:
        return redact_url(url)
