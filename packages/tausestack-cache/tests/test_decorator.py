"""@cached on sync and async functions and methods: keys, None caching, invalidation, single-flight."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from typing import Any

import pytest

from tausestack import cache
from tausestack.cache import Cache, MemoryCacheBackend
from tausestack.core import InvalidInputError


def test_default_key_tells_types_apart_and_binds_arguments() -> None:
    calls: list[Any] = []

    @cache.cached(ttl=60)
    def echo(x: Any, y: int = 2) -> Any:
        calls.append(x)
        return x

    echo(1)
    echo(1)
    echo(x=1)
    echo(1, 2)
    echo(1, y=2)
    assert calls == [1]
    echo("1")
    echo(1.0)
    echo(True)
    assert calls == [1, "1", 1.0, True]
    assert echo.key_for(1) != echo.key_for("1")
    assert echo.key_for(1) == echo.key_for(x=1, y=2)
    with pytest.raises(TypeError):
        echo()  # type: ignore[call-arg]


def test_default_key_encodes_structures_and_refuses_unstable_objects() -> None:
    @dataclasses.dataclass
    class Point:
        x: int

    @cache.cached
    def ident(value: Any) -> Any:
        return value

    assert ident.key_for({"b": 1, "a": [1, (2,)]}) == ident.key_for({"a": [1, (2,)], "b": 1})
    assert ident.key_for(Point(1)) != ident.key_for(Point(2))
    assert ident.key_for([1]) != ident.key_for((1,))
    assert "#" in ident.key_for("x" * 500)  # long keys are hashed
    with pytest.raises(InvalidInputError, match="key="):
        ident(object())


def test_template_key_and_invalidate() -> None:
    calls = 0

    @cache.cached(ttl="5m", key="user:{user_id}", namespace="users")
    def load(user_id: int) -> dict[str, int]:
        nonlocal calls
        calls += 1
        return {"id": user_id}

    assert load(7) == {"id": 7}
    assert load(user_id=7) == {"id": 7}
    assert calls == 1
    assert cache.get("user:7", namespace="users") == {"id": 7}
    assert load.invalidate(7) is True
    assert load.invalidate(7) is False
    load(7)
    assert calls == 2


def test_template_must_name_parameters() -> None:
    with pytest.raises(InvalidInputError, match="not a parameter"):

        @cache.cached(key="user:{uid}")
        def load(user_id: int) -> int:
            return user_id

    with pytest.raises(InvalidInputError, match="positions"):

        @cache.cached(key="user:{}")
        def load2(user_id: int) -> int:
            return user_id


def test_none_results_are_cached() -> None:
    calls = 0

    @cache.cached(ttl=60)
    def nothing(x: int) -> None:
        nonlocal calls
        calls += 1

    assert nothing(1) is None
    assert nothing(1) is None
    assert calls == 1


def test_methods_skip_self_in_default_key_and_can_use_it_in_templates() -> None:
    class Service:
        def __init__(self, org: str) -> None:
            self.org = org
            self.calls = 0

        @cache.cached(ttl=60)
        def plain(self, x: int) -> int:
            self.calls += 1
            return x * 2

        @cache.cached(ttl=60, key="org:{self.org}:{x}")
        def scoped(self, x: int) -> str:
            self.calls += 1
            return f"{self.org}-{x}"

    a, b = Service("a"), Service("b")
    assert a.plain(2) == 4
    assert b.plain(2) == 4
    assert a.calls + b.calls == 1
    assert Service.plain.invalidate(2) is True
    assert a.scoped(1) == "a-1"
    assert b.scoped(1) == "b-1"
    assert a.scoped(1) == "a-1"
    assert a.calls == 2
    assert Service.scoped.invalidate(a, 1) is True
    assert cache.get("org:b:1") == "b-1"


def test_tags_and_invalidate_all() -> None:
    @cache.cached(ttl=60, tags=["users", "user:{uid}"])
    def profile(uid: int) -> int:
        return uid

    @cache.cached(ttl=60, key="other:{uid}")
    def other(uid: int) -> int:
        return uid

    profile(1)
    profile(2)
    other(1)
    assert cache.invalidate_tags("user:1") == 1
    assert profile.invalidate_all() == 1
    assert other.invalidate_all() == 1
    assert cache.get_cache().stats().sets == 3


def test_disabled_runs_function_every_time() -> None:
    calls = 0

    @cache.cached(ttl=60)
    def count() -> int:
        nonlocal calls
        calls += 1
        return calls

    with cache.disabled():
        assert count() == 1
        assert count() == 2
    assert count() == 3
    assert count() == 3


def test_explicit_cache_and_configure_at_call_time() -> None:
    mine = Cache(MemoryCacheBackend())

    @cache.cached(ttl=60, key="k", cache=mine)
    def f() -> int:
        return 1

    f()
    assert mine.get("k") == 1

    @cache.cached(ttl=60, key="late")
    def g() -> int:
        return 2

    later = Cache()
    cache.configure(later)
    g()
    assert later.get("late") == 2

    @mine.cached(ttl=60, key="bound")
    def h() -> int:
        return 3

    h()
    assert mine.get("bound") == 3


def test_exceptions_are_not_cached() -> None:
    calls = 0

    @cache.cached(ttl=60)
    def flaky() -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        return calls

    with pytest.raises(RuntimeError):
        flaky()
    assert flaky() == 2
    assert flaky() == 2


def test_single_flight_threads() -> None:
    calls = 0
    lock = threading.Lock()
    start = threading.Barrier(50)

    @cache.cached(ttl=60)
    def slow(x: int) -> int:
        nonlocal calls
        with lock:
            calls += 1
        time.sleep(0.2)
        return x + 1

    results: list[int] = []

    def worker() -> None:
        start.wait()
        results.append(slow(1))

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == 1
    assert results == [2] * 50


@pytest.mark.anyio
async def test_single_flight_tasks_and_async_api() -> None:
    calls = 0

    @cache.cached(ttl=60, key="slow:{x}")
    async def slow(x: int) -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.1)
        return x * 10

    assert asyncio.iscoroutinefunction(slow)
    results = await asyncio.gather(*(slow(3) for _ in range(50)))
    assert results == [30] * 50
    assert calls == 1
    assert await slow.ainvalidate(3) is True
    await slow(3)
    assert calls == 2
    assert await slow.ainvalidate_all() == 1


@pytest.mark.anyio
async def test_async_leader_cancelled_hands_over() -> None:
    calls = 0

    @cache.cached(ttl=60, key="c")
    async def slow() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.1)
        return calls

    leader = asyncio.ensure_future(slow())
    await asyncio.sleep(0.01)
    follower = asyncio.ensure_future(slow())
    await asyncio.sleep(0.01)
    leader.cancel()
    assert await follower == 2
    with pytest.raises(asyncio.CancelledError):
        await leader


def test_early_refresh_serves_stale_and_recomputes_in_background() -> None:
    calls = 0

    @cache.cached(ttl=1, early_refresh=0.9, key="fresh")
    def value() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert value() == 1
    time.sleep(0.15)  # now inside the refresh window
    assert value() == 1  # stale value served at once
    deadline = time.monotonic() + 2
    while value() != 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert value() == 2


@pytest.mark.anyio
async def test_early_refresh_async() -> None:
    calls = 0

    @cache.cached(ttl=1, early_refresh=0.9, key="afresh")
    async def value() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert await value() == 1
    await asyncio.sleep(0.15)
    assert await value() == 1
    for _ in range(100):
        if await value() == 2:
            break
        await asyncio.sleep(0.01)
    assert await value() == 2


def test_early_refresh_needs_a_longer_ttl() -> None:
    with pytest.raises(InvalidInputError, match="early_refresh"):
        cache.cached(ttl=10, early_refresh=10)
    with pytest.raises(InvalidInputError, match="early_refresh"):
        cache.cached(early_refresh=10)
