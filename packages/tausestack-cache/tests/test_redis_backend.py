"""The Redis backend on the real Redis server (and on a dedicated one stopped mid-test)."""

from __future__ import annotations

import asyncio
import logging
import pickle
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tausestack import cache
from tausestack.cache import Cache, PayloadRejectedError
from tausestack.cache.backends.redis import RedisCacheBackend
from tausestack.core import AccessDeniedError, BackendUnavailableError, InvalidInputError
from tausestack.core.testing import ServiceProcess, free_port, service_missing
from tausestack.core.testing._process import port_open

pytestmark = pytest.mark.redis
KEY = "a-signing-key-that-is-long-enough"


class Exploit:
    """Unpickling this writes a marker file: proof that a payload was (not) loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "pwned"))


@pytest.fixture
def rc(redis_url: str) -> Iterator[Cache]:
    c = Cache(redis_url)
    yield c
    c.close()


@pytest.fixture
def raw(redis_url: str) -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[ServiceProcess, int]]:
    """A dedicated redis-server on a free port, so the test can stop it."""
    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("redis-server is not installed")
    port = free_port()
    process = ServiceProcess(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        name="redis-server",
        log_path=tmp_path / "redis.log",
    )
    process.start(ready=lambda: port_open("127.0.0.1", port), timeout=10)
    yield process, port
    process.stop()


def test_round_trip_json_under_prefix(rc: Cache, raw: Any) -> None:
    rc.set("user:1", {"name": "Ada", "tags": ["x"]}, ttl="5m")
    assert rc.get("user:1") == {"name": "Ada", "tags": ["x"]}
    assert raw.get("ts:user:1") == b'{"name":"Ada","tags":["x"]}'
    assert 290 < raw.ttl("ts:user:1") <= 300
    rc.set("none", None)
    assert rc.get("none", "default") is None
    assert rc.get("missing", "default") == "default"


def test_api(rc: Cache, raw: Any) -> None:
    raw.set("foreign", b"not ours")
    rc.set_many({"a": 1, "b": [2]}, ttl=60)
    assert rc.get_many(["a", "b", "c"]) == {"a": 1, "b": [2]}
    assert rc.add("a", 5) is False
    assert rc.add("new", 5, ttl=60) is True
    assert rc.delete("a") is True
    assert rc.delete_many(["b", "zz"]) == 1
    assert rc.incr("hits") == 1
    assert rc.incr("hits", 4, ttl=60) == 5
    assert rc.get("hits") == 5
    assert rc.incr("fresh", ttl=30) == 1
    assert 0 < raw.pttl("ts:fresh") <= 30_000
    rc.set("text", "not a number")
    with pytest.raises(InvalidInputError):
        rc.incr("text")
    rc.set("1", "u", namespace="users")
    rc.set("2", "u", namespace="users")
    rc.set("1", "o", namespace="orders")
    assert rc.clear(namespace="users") == 2
    assert rc.get("1", namespace="orders") == "o"
    rc.set("p:1", 1)
    rc.set("p:2", 2)
    rc.set("q:1", 3)
    assert rc.delete_matching("p:*") == 2
    assert rc.clear() >= 3
    assert raw.get("foreign") == b"not ours"  # clear() never leaves the prefix
    rc.health()


def test_tags(rc: Cache, raw: Any) -> None:
    rc.set("a", 1, ttl=60, tags=["users"])
    rc.set("b", 2, ttl=120, tags=["users", "vip"])
    rc.set("c", 3, tags=["other"])
    assert 110_000 < raw.pttl("ts:__tag__:users") <= 120_000
    assert raw.ttl("ts:__tag__:other") == -1
    assert rc.invalidate_tags("users") == 2
    assert rc.get("a") is None
    assert rc.get("b") is None
    assert rc.get("c") == 3
    assert not raw.exists("ts:__tag__:users")


def test_options_from_url(redis_url: str, raw: Any) -> None:
    c = Cache(f"{redis_url}?prefix=app1:&serializer=msgpack&ttl=1m&timeout=2s")
    c.set("b", b"\x00bytes")
    assert c.get("b") == b"\x00bytes"
    assert raw.get("app1:b")[:1] == b"\x01"
    assert 0 < raw.ttl("app1:b") <= 60
    assert c.incr("n") == 1
    c.close()


def test_password_never_shown(redis_url: str) -> None:
    url = redis_url.replace("redis://", "redis://user:hunter2secret@")
    c = Cache(url)
    assert "hunter2secret" not in c.describe()
    assert "hunter2secret" not in repr(c) + repr(c.backend)
    with pytest.raises(AccessDeniedError) as info:
        c.get("k")
    assert "hunter2secret" not in str(info.value)


def test_signed_pickle_on_redis(
    redis_url: str, raw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAUSESTACK_CACHE_SIGNING_KEY", KEY)
    c = Cache(f"{redis_url}?serializer=pickle")
    c.set("obj", {1, 2, 3})
    assert c.get("obj") == {1, 2, 3}
    marker = tmp_path / "marker"
    raw.set("ts:evil", pickle.dumps(Exploit(marker)))
    with pytest.raises(PayloadRejectedError):
        c.get("evil")
    stored = raw.get("ts:obj")
    raw.set("ts:obj", stored[:-2] + b"X" + stored[-1:])
    with pytest.raises(PayloadRejectedError, match="bad signature"):
        c.get("obj")
    assert not marker.exists()
    assert c.stats().errors == 2
    c.close()


def test_json_cache_refuses_foreign_payload(rc: Cache, raw: Any) -> None:
    raw.set("ts:x", pickle.dumps({"a": 1}))
    with pytest.raises(PayloadRejectedError):
        rc.get("x")


@pytest.mark.anyio
async def test_async_twins(redis_url: str) -> None:
    c = Cache(redis_url)
    await c.aset("a", {"v": 1}, ttl=60, tags=["t"])
    assert await c.aget("a") == {"v": 1}
    assert await c.aget_many(["a", "b"]) == {"a": {"v": 1}}
    await c.aset_many({"b": 2, "c": 3}, tags=["t"])
    assert await c.aadd("b", 9) is False
    assert await c.aincr("n", 2, ttl=10) == 2
    assert await c.adelete("c") is True
    assert await c.adelete_many(["b", "zz"]) == 1
    assert await c.ainvalidate_tags("t") == 1
    await c.aset("m:1", 1)
    assert await c.adelete_matching("m:*") == 1
    assert await c.aclear() == 1
    await c.ahealth()
    await c.aclose()


@pytest.mark.anyio
async def test_async_single_flight_on_redis(redis_url: str) -> None:
    c = Cache(redis_url)
    calls = 0

    @c.cached(ttl=60, key="slow:{x}")
    async def slow(x: int) -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.1)
        return x

    assert await asyncio.gather(*(slow(1) for _ in range(50))) == [1] * 50
    assert calls == 1
    assert await c.aget("slow:1") == 1
    await c.aclose()


def test_single_flight_across_processes(redis_url: str, raw: Any, tmp_path: Path) -> None:
    """Four processes miss the same key at once: the Redis lock lets one compute."""
    script = tmp_path / "worker.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys, time, redis
            from tausestack.cache import Cache
            counter = redis.Redis.from_url({redis_url!r})
            c = Cache({redis_url!r})
            @c.cached(ttl=60, key="report")
            def report():
                counter.incr("computations")
                time.sleep(0.5)
                return {{"rows": 3}}
            while time.time() < float(sys.argv[1]):
                time.sleep(0.001)
            print(report()["rows"])
            """
        )
    )
    import time

    start_at = str(time.time() + 2.0)
    procs = [
        subprocess.Popen([sys.executable, str(script), start_at], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=30)[0].strip() for proc in procs]
    assert outputs == ["3"] * 4
    assert int(raw.get("computations")) == 1


def test_outage_raises_then_fail_open_serves_misses(
    own_redis: tuple[ServiceProcess, int], caplog: pytest.LogCaptureFixture
) -> None:
    process, port = own_redis
    url = f"redis://127.0.0.1:{port}/0"
    strict = Cache(url)
    lenient = Cache(f"{url}?fail_open=true")
    strict.set("k", 1)
    assert lenient.get("k") == 1
    calls = 0

    @lenient.cached(ttl=60, key="f")
    def f() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert f() == 1
    process.stop()
    with pytest.raises(BackendUnavailableError, match="unreachable"):
        strict.get("k")
    with pytest.raises(BackendUnavailableError):
        strict.set("k", 2)
    with pytest.raises(BackendUnavailableError):
        strict.health()
    with caplog.at_level(logging.WARNING, logger="tausestack.cache"):
        assert lenient.get("k", "fallback") == "fallback"
        lenient.set("k", 2)  # skipped, logged
        assert f() == 2  # computed: the backend is down
        assert f() == 3
    assert lenient.stats().errors >= 4
    assert any("fail_open" in record.getMessage() for record in caplog.records)
    with pytest.raises(BackendUnavailableError):
        lenient.incr("counter")  # counters never fail open
    strict.close()
    lenient.close()


@pytest.mark.anyio
async def test_async_outage(own_redis: tuple[ServiceProcess, int]) -> None:
    process, port = own_redis
    strict = Cache(f"redis://127.0.0.1:{port}/0")
    lenient = Cache(f"redis://127.0.0.1:{port}/0", fail_open=True)
    await strict.aset("k", 1)
    process.stop()
    with pytest.raises(BackendUnavailableError):
        await strict.aget("k")
    assert await lenient.aget("k", "fallback") == "fallback"
    with pytest.raises(BackendUnavailableError):
        await strict.ahealth()


def test_module_default_from_env(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_CACHE_URL", redis_url)
    cache.set("env", True)
    assert cache.get("env") is True
    assert isinstance(cache.get_cache().backend, RedisCacheBackend)
    cache.health()
    cache.close()
