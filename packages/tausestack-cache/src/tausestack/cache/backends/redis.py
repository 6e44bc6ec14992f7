"""``redis://``: Redis through redis-py, sync and ``redis.asyncio`` (``tausestack-cache[redis]``).

``redis://[user:password@]host:port/db?prefix=ts:&serializer=json&ttl=5m&fail_open=false``
(``rediss://`` for TLS, ``unix:///path/redis.sock?db=0``). Every key is stored under ``prefix``
(default ``ts:``), so :meth:`clear` never touches other data in the database. Values are
serialized (JSON by default, see :mod:`tausestack.cache._serializers`); tags are Redis sets
updated in the same pipeline as the value. redis-py is imported when the backend is built.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from tausestack.cache._keys import glob_escape
from tausestack.cache._serializers import JSONSerializer, Serializer, serializer_from_url
from tausestack.cache.backends._base import COMMON_OPTIONS, MISSING, CacheBackend
from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    BackendURL,
    ConfigurationError,
    InvalidInputError,
    parse_url,
)

__all__ = ["RedisCacheBackend"]

_OPTIONS = COMMON_OPTIONS | {"prefix", "serializer", "connect_timeout", "timeout", "max_connections", "db"}
_BATCH = 500

# Tag sets live as long as their longest-lived member (forever if any member has no TTL).
_TAG = """
redis.call('SADD', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl < 0 then redis.call('PERSIST', KEYS[1]) return 1 end
local current = redis.call('PTTL', KEYS[1])
if current >= 0 and current < ttl then redis.call('PEXPIRE', KEYS[1], ttl)
elseif current == -1 and redis.call('SCARD', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
"""
_INVALIDATE = """
local removed = 0
for _, tag in ipairs(KEYS) do
  local members = redis.call('SMEMBERS', tag)
  for i = 1, #members, 500 do
    removed = removed + redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
  end
  redis.call('DEL', tag)
end
return removed
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _milliseconds(ttl: float) -> int:
    return max(1, int(ttl * 1000))


class RedisCacheBackend(CacheBackend):
    """A Redis-backed cache shared by every process that uses the same URL and prefix.

    >>> backend = RedisCacheBackend("redis://127.0.0.1:6379/0")  # doctest: +SKIP
    """

    scheme = "redis"
    distributed = True

    def __init__(
        self,
        url: str | BackendURL = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "ts:",
        serializer: Serializer | None = None,
        connect_timeout: float = 2.0,
        timeout: float = 5.0,
        max_connections: int | None = None,
        default_ttl: float | None = None,
        fail_open: bool = False,
    ) -> None:
        super().__init__(default_ttl=default_ttl, fail_open=fail_open)
        parsed = url if isinstance(url, BackendURL) else parse_url(url, variable="TAUSESTACK_CACHE_URL")
        if parsed.scheme not in ("redis", "rediss", "unix"):
            raise ConfigurationError(f"{parsed.variable}: {parsed.scheme}:// is not a Redis URL")
        self._url = parsed
        self._connection_url = parsed.raw.split("?", 1)[0]
        if parsed.scheme == "unix" and parsed.option("db"):
            self._connection_url += f"?db={parsed.option_int('db', 0, minimum=0)}"
        self.prefix = prefix
        self.serializer = serializer if serializer is not None else JSONSerializer()
        self._dumps = self.serializer.dumps
        self._loads = self.serializer.loads
        self._client_options: dict[str, Any] = {
            "socket_connect_timeout": connect_timeout,
            "socket_timeout": timeout,
        }
        if max_connections is not None:
            self._client_options["max_connections"] = max_connections
        self._lock = threading.Lock()
        self._sync: Any = None
        self._async: Any = None
        self._async_loop: asyncio.AbstractEventLoop | None = None
        self._redis: Any = None

    @classmethod
    def from_url(cls, url: BackendURL) -> RedisCacheBackend:
        url.check_options(_OPTIONS)
        max_connections = (
            url.option_int("max_connections", 0, minimum=1) if url.option("max_connections") else None
        )
        return cls(
            url,
            prefix=url.option("prefix", "ts:") or "",
            serializer=serializer_from_url(url.option("serializer"), variable=url.variable),
            connect_timeout=url.option_duration("connect_timeout", 2.0) or 2.0,
            timeout=url.option_duration("timeout", 5.0) or 5.0,
            max_connections=max_connections,
            **cls.common_options(url),
        )

    # -- clients -------------------------------------------------------------------------------

    def _module(self) -> Any:
        if self._redis is None:
            try:
                import redis
            except ImportError:
                raise ConfigurationError(
                    "the redis:// cache backend needs redis-py: pip install 'tausestack-cache[redis]'"
                ) from None
            self._redis = redis
        return self._redis

    @property
    def client(self) -> Any:
        """The redis-py ``Redis`` client (built on first use)."""
        client = self._sync
        if client is None:
            with self._lock:
                if self._sync is None:
                    redis = self._module()
                    from redis.backoff import NoBackoff
                    from redis.retry import Retry

                    self._sync = redis.Redis.from_url(
                        self._connection_url, retry=Retry(NoBackoff(), 1), **self._client_options
                    )
                client = self._sync
        return client

    @property
    def async_client(self) -> Any:
        """The ``redis.asyncio.Redis`` client of the running event loop (built on first use)."""
        loop = asyncio.get_running_loop()
        if self._async is None or self._async_loop is not loop:
            self._module()
            import redis.asyncio
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            self._async = redis.asyncio.Redis.from_url(
                self._connection_url, retry=Retry(NoBackoff(), 1), **self._client_options
            )
            self._async_loop = loop
        return self._async

    @contextmanager
    def _errors(self, operation: str) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            raise self._translate(exc, operation) from exc

    def _translate(self, exc: Exception, operation: str) -> Exception:
        redis = self._module()
        where = self.describe()
        if isinstance(exc, redis.AuthenticationError):
            return AccessDeniedError(f"Redis at {where} refused the credentials ({operation})")
        if isinstance(exc, (redis.ConnectionError, redis.TimeoutError, OSError)):
            return BackendUnavailableError(f"Redis at {where} is unreachable during {operation}: {exc}")
        if isinstance(exc, redis.ResponseError) and operation == "incr":
            return InvalidInputError(f"cannot increment: the key does not hold an integer ({exc})")
        if isinstance(exc, redis.RedisError):
            return BackendUnavailableError(f"Redis at {where} failed during {operation}: {exc}")
        return exc

    # -- sync operations -------------------------------------------------------------------------

    def get(self, key: str) -> Any:
        try:
            data = self.client.get(self.prefix + key)
        except Exception as exc:
            raise self._translate(exc, "get") from exc
        return MISSING if data is None else self._loads(data)

    def get_many(self, keys: Sequence[str]) -> list[Any]:
        if not keys:
            return []
        prefix = self.prefix
        with self._errors("get_many"):
            found = self.client.mget([prefix + key for key in keys])
        loads = self._loads
        return [MISSING if data is None else loads(data) for data in found]

    def set(self, key: str, value: Any, ttl: float | None, tags: Sequence[str] = ()) -> None:
        data = self._dumps(value)
        try:
            if not tags:
                self.client.set(self.prefix + key, data, px=_milliseconds(ttl) if ttl is not None else None)
                return
            pipe = self.client.pipeline(transaction=False)
            self._queue_set(pipe, key, data, ttl, tags)
            pipe.execute()
        except Exception as exc:
            raise self._translate(exc, "set") from exc

    def set_many(self, items: Mapping[str, Any], ttl: float | None, tags: Sequence[str] = ()) -> None:
        encoded = {key: self._dumps(value) for key, value in items.items()}
        with self._errors("set_many"):
            pipe = self.client.pipeline(transaction=False)
            for key, data in encoded.items():
                self._queue_set(pipe, key, data, ttl, tags)
            pipe.execute()

    def _queue_set(self, pipe: Any, key: str, data: bytes, ttl: float | None, tags: Sequence[str]) -> None:
        full = self.prefix + key
        pipe.set(full, data, px=_milliseconds(ttl) if ttl is not None else None)
        ms = _milliseconds(ttl) if ttl is not None else -1
        for tag in tags:
            pipe.eval(_TAG, 1, self._tag_key(tag), full, ms)

    def _tag_key(self, tag: str) -> str:
        return f"{self.prefix}__tag__:{tag}"

    def add(self, key: str, value: Any, ttl: float | None) -> bool:
        data = self._dumps(value)
        with self._errors("add"):
            return bool(
                self.client.set(
                    self.prefix + key, data, nx=True, px=_milliseconds(ttl) if ttl is not None else None
                )
            )

    def delete(self, key: str) -> bool:
        with self._errors("delete"):
            return bool(self.client.delete(self.prefix + key))

    def delete_many(self, keys: Iterable[str]) -> int:
        full = [self.prefix + key for key in keys]
        if not full:
            return 0
        with self._errors("delete_many"):
            return int(self.client.delete(*full))

    def release(self, key: str, token: str) -> bool:
        with self._errors("release"):
            return bool(self.client.eval(_RELEASE, 1, self.prefix + key, self._dumps(token)))

    def incr(self, key: str, delta: int, ttl: float | None) -> int:
        full = self.prefix + key
        with self._errors("incr"):
            if ttl is None:
                return int(self.client.incrby(full, delta))
            pipe = self.client.pipeline(transaction=True)
            pipe.set(full, 0, nx=True, px=_milliseconds(ttl))
            pipe.incrby(full, delta)
            return int(pipe.execute()[1])

    def clear(self, prefix: str = "") -> int:
        return self.delete_matching(glob_escape(prefix) + "*")

    def delete_matching(self, pattern: str) -> int:
        match = glob_escape(self.prefix) + pattern
        removed = 0
        with self._errors("delete_matching"):
            batch: list[bytes] = []
            for name in self.client.scan_iter(match=match, count=1000):
                batch.append(name)
                if len(batch) >= _BATCH:
                    removed += int(self.client.unlink(*batch))
                    batch.clear()
            if batch:
                removed += int(self.client.unlink(*batch))
        return removed

    def invalidate_tags(self, tags: Sequence[str]) -> int:
        if not tags:
            return 0
        with self._errors("invalidate_tags"):
            return int(self.client.eval(_INVALIDATE, len(tags), *(self._tag_key(tag) for tag in tags)))

    def health(self) -> None:
        with self._errors("health check"):
            self.client.ping()

    def close(self) -> None:
        with self._lock:
            client, self._sync = self._sync, None
        if client is not None:
            client.close()
            client.connection_pool.disconnect()

    def describe(self) -> str:
        return self._url.redacted()

    # -- async operations (redis.asyncio) --------------------------------------------------------

    async def aget(self, key: str) -> Any:
        try:
            data = await self.async_client.get(self.prefix + key)
        except Exception as exc:
            raise self._translate(exc, "get") from exc
        return MISSING if data is None else self._loads(data)

    async def aget_many(self, keys: Sequence[str]) -> list[Any]:
        if not keys:
            return []
        prefix = self.prefix
        with self._errors("get_many"):
            found = await self.async_client.mget([prefix + key for key in keys])
        loads = self._loads
        return [MISSING if data is None else loads(data) for data in found]

    async def aset(self, key: str, value: Any, ttl: float | None, tags: Sequence[str] = ()) -> None:
        data = self._dumps(value)
        try:
            if not tags:
                await self.async_client.set(
                    self.prefix + key, data, px=_milliseconds(ttl) if ttl is not None else None
                )
                return
            pipe = self.async_client.pipeline(transaction=False)
            self._queue_set(pipe, key, data, ttl, tags)
            await pipe.execute()
        except Exception as exc:
            raise self._translate(exc, "set") from exc

    async def aset_many(self, items: Mapping[str, Any], ttl: float | None, tags: Sequence[str] = ()) -> None:
        encoded = {key: self._dumps(value) for key, value in items.items()}
        with self._errors("set_many"):
            pipe = self.async_client.pipeline(transaction=False)
            for key, data in encoded.items():
                self._queue_set(pipe, key, data, ttl, tags)
            await pipe.execute()

    async def aadd(self, key: str, value: Any, ttl: float | None) -> bool:
        data = self._dumps(value)
        with self._errors("add"):
            return bool(
                await self.async_client.set(
                    self.prefix + key, data, nx=True, px=_milliseconds(ttl) if ttl is not None else None
                )
            )

    async def adelete(self, key: str) -> bool:
        with self._errors("delete"):
            return bool(await self.async_client.delete(self.prefix + key))

    async def adelete_many(self, keys: Iterable[str]) -> int:
        full = [self.prefix + key for key in keys]
        if not full:
            return 0
        with self._errors("delete_many"):
            return int(await self.async_client.delete(*full))

    async def arelease(self, key: str, token: str) -> bool:
        with self._errors("release"):
            return bool(await self.async_client.eval(_RELEASE, 1, self.prefix + key, self._dumps(token)))

    async def aincr(self, key: str, delta: int, ttl: float | None) -> int:
        full = self.prefix + key
        with self._errors("incr"):
            if ttl is None:
                return int(await self.async_client.incrby(full, delta))
            pipe = self.async_client.pipeline(transaction=True)
            pipe.set(full, 0, nx=True, px=_milliseconds(ttl))
            pipe.incrby(full, delta)
            return int((await pipe.execute())[1])

    async def aclear(self, prefix: str = "") -> int:
        return await self.adelete_matching(glob_escape(prefix) + "*")

    async def adelete_matching(self, pattern: str) -> int:
        match = glob_escape(self.prefix) + pattern
        removed = 0
        client = self.async_client
        with self._errors("delete_matching"):
            batch: list[bytes] = []
            async for name in client.scan_iter(match=match, count=1000):
                batch.append(name)
                if len(batch) >= _BATCH:
                    removed += int(await client.unlink(*batch))
                    batch.clear()
            if batch:
                removed += int(await client.unlink(*batch))
        return removed

    async def ainvalidate_tags(self, tags: Sequence[str]) -> int:
        if not tags:
            return 0
        with self._errors("invalidate_tags"):
            return int(
                await self.async_client.eval(_INVALIDATE, len(tags), *(self._tag_key(tag) for tag in tags))
            )

    async def ahealth(self) -> None:
        with self._errors("health check"):
            await self.async_client.ping()

    async def aclose(self) -> None:
        client, self._async, self._async_loop = self._async, None, None
        if client is not None:
            await client.aclose()
        self.close()
