"""tausestack.cache beside the raw libraries, in the same run (DESIGN.md section 5).

Run: ``$(hatch env find hatch-test.py3.11)/bin/python tools/bench/bench_cache.py`` (about 60 s).

* memory hit: ``Cache("memory://").get(key)`` vs a cachetools ``TTLCache`` hit (``ttl[key]``);
  ``aget`` vs awaiting a coroutine that does the same ``TTLCache`` hit;
* ``@cached`` hit on memory: the decorated call vs the backend's own ``get`` of the same key,
  reported as microseconds of overhead (target ≤ 3 µs);
* Redis get/set, sync and asyncio: ``Cache(redis_url)`` (JSON values) vs raw redis-py on the same
  server and key (bytes, no serialization at all: the strict baseline the targets apply to),
  and, without a target, vs raw redis-py plus ``json`` doing the same work; ``aget``/``aset`` vs
  cashews on the same server. The Redis URL is ``TAUSESTACK_BENCH_REDIS_URL`` (default ``redis://127.0.0.1:6379/14``);
  only keys under ``bench:`` are written, and removed at the end.

cachetools and cashews are optional: each comparison says so and is skipped when the library
is not installed (``uv pip install cachetools cashews`` into the env for a full run).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.bench.ratios import Result, acompare, compare, report

REDIS_URL = os.environ.get("TAUSESTACK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
VALUE = {"id": 42, "name": "Ada Lovelace", "roles": ["admin", "analyst"]}
RESULTS: list[Result] = []
NOTES: list[str] = []


def memory_cases() -> None:
    from tausestack.cache import Cache

    cache = Cache("memory://")
    cache.set("user:42", VALUE, ttl=300)
    try:
        from cachetools import TTLCache
    except ImportError:
        NOTES.append("cachetools is not installed: memory hit vs TTLCache skipped")
    else:
        ttl: Any = TTLCache(maxsize=10_000, ttl=300)
        ttl["user:42"] = VALUE
        RESULTS.append(
            compare(
                "memory get hit vs TTLCache[key]",
                ours=lambda: cache.get("user:42"),
                raw=lambda: ttl["user:42"],
                number=20_000,
                batches=21,
                target=1.5,
            )
        )

        async def raw_hit() -> Any:
            return ttl["user:42"]

        async def run() -> Result:
            return await acompare(
                "memory aget hit vs awaited TTLCache hit",
                ours=lambda: cache.aget("user:42"),
                raw=raw_hit,
                number=20_000,
                batches=21,
                target=1.5,
            )

        RESULTS.append(asyncio.run(run()))

    @cache.cached(ttl=300)
    def load_user(user_id: int) -> dict[str, Any]:
        return VALUE

    load_user(42)
    full_key = cache.full_key(load_user.key_for(42))
    backend_get = cache.backend.get
    result = compare(
        "@cached hit vs backend.get (memory)",
        ours=lambda: load_user(42),
        raw=lambda: backend_get(full_key),
        number=20_000,
        batches=21,
    )
    RESULTS.append(result)
    overhead = (result.ours_seconds - result.raw_seconds) * 1e6
    verdict = "ok" if overhead <= 3.0 else "OVER TARGET"
    NOTES.append(f"@cached hit overhead over the backend's get: {overhead:.2f} µs (target ≤ 3 µs) {verdict}")


def redis_cases() -> None:
    try:
        import redis
    except ImportError:
        NOTES.append("redis-py is not installed: Redis comparisons skipped")
        return
    from tausestack.cache import Cache
    from tausestack.cache._serializers import JSONSerializer

    raw = redis.Redis.from_url(REDIS_URL)
    try:
        raw.ping()
    except redis.RedisError as exc:
        NOTES.append(f"Redis at {REDIS_URL} is not reachable ({exc}): Redis comparisons skipped")
        return
    cache = Cache(f"{REDIS_URL}?prefix=bench:ts:")
    data = JSONSerializer().dumps(VALUE)
    cache.set("user:42", VALUE)
    raw.set("bench:raw:user:42", data)
    RESULTS.append(
        compare(
            "redis get (sync)",
            ours=lambda: cache.get("user:42"),
            raw=lambda: raw.get("bench:raw:user:42"),
            number=200,
            batches=31,
            target=1.10,
        )
    )
    RESULTS.append(
        compare(
            "redis set ttl=60 (sync)",
            ours=lambda: cache.set("user:42", VALUE, ttl=60),
            raw=lambda: raw.set("bench:raw:user:42", data, px=60_000),
            number=200,
            batches=31,
            target=1.10,
        )
    )
    dumps, loads = json.JSONEncoder(separators=(",", ":")).encode, json.loads
    RESULTS.append(
        compare(
            "redis get vs raw get + json.loads",
            ours=lambda: cache.get("user:42"),
            raw=lambda: loads(raw.get("bench:raw:user:42")),  # type: ignore[arg-type]
            number=200,
            batches=31,
        )
    )
    RESULTS.append(
        compare(
            "redis set vs raw json.dumps + set",
            ours=lambda: cache.set("user:42", VALUE, ttl=60),
            raw=lambda: raw.set("bench:raw:user:42", dumps(VALUE).encode(), px=60_000),
            number=200,
            batches=31,
        )
    )
    asyncio.run(redis_async_cases(cache, data))
    cache.clear()
    for name in raw.scan_iter(match="bench:*"):
        raw.delete(name)
    cache.close()
    raw.close()


async def redis_async_cases(cache: Any, data: bytes) -> None:
    import redis.asyncio

    raw: Any = redis.asyncio.Redis.from_url(REDIS_URL)
    await raw.set("bench:raw:user:42", data)
    await cache.aset("user:42", VALUE)
    RESULTS.append(
        await acompare(
            "redis aget (asyncio)",
            ours=lambda: cache.aget("user:42"),
            raw=lambda: raw.get("bench:raw:user:42"),
            number=200,
            batches=31,
            target=1.10,
        )
    )
    RESULTS.append(
        await acompare(
            "redis aset ttl=60 (asyncio)",
            ours=lambda: cache.aset("user:42", VALUE, ttl=60),
            raw=lambda: raw.set("bench:raw:user:42", data, px=60_000),
            number=200,
            batches=31,
            target=1.10,
        )
    )
    await raw.aclose()
    try:
        cashews_module: Any = importlib.import_module("cashews")
    except ImportError:
        NOTES.append("cashews is not installed: comparison with cashews skipped")
        await cache.aclose()
        return
    cashews: Any = cashews_module.Cache()
    cashews.setup(REDIS_URL, client_side=False, suppress=False)
    await cashews.set("bench:cashews:user:42", VALUE)
    RESULTS.append(
        await acompare(
            "redis aget vs cashews get",
            ours=lambda: cache.aget("user:42"),
            raw=lambda: cashews.get("bench:cashews:user:42"),
            number=200,
            batches=31,
            target=1.0,
        )
    )
    RESULTS.append(
        await acompare(
            "redis aset vs cashews set (ttl=60)",
            ours=lambda: cache.aset("user:42", VALUE, ttl=60),
            raw=lambda: cashews.set("bench:cashews:user:42", VALUE, expire=60),
            number=200,
            batches=31,
            target=1.0,
        )
    )
    await cashews.delete("bench:cashews:user:42")
    await cashews.close()
    await cache.aclose()


def main() -> None:
    memory_cases()
    redis_cases()
    report(RESULTS, title="tausestack.cache / raw (median of interleaved batches; ratio < 1 is faster)")
    for note in NOTES:
        print(f"- {note}")


if __name__ == "__main__":
    main()
