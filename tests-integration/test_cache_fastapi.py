"""@cache.cached on FastAPI routes, cached in the real Redis: signatures, async detection, single-flight."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytestmark = pytest.mark.redis


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_cached_async_and_sync_routes(redis_url: str) -> None:
    import httpx
    from fastapi import FastAPI

    from tausestack import cache

    cache.configure(redis_url)
    calls = {"async": 0, "sync": 0}
    app = FastAPI()

    @app.get("/users/{user_id}")
    @cache.cached(ttl="1m", key="user:{user_id}")
    async def get_user(user_id: int, verbose: bool = False) -> dict[str, Any]:
        calls["async"] += 1
        await asyncio.sleep(0.1)
        return {"id": user_id, "verbose": verbose}

    @app.get("/squares/{n}")
    @cache.cached(ttl="1m")
    def square(n: int) -> dict[str, int]:
        calls["sync"] += 1
        return {"n": n, "square": n * n}

    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            responses = await asyncio.gather(*(client.get("/users/7") for _ in range(20)))
            assert {r.status_code for r in responses} == {200}
            assert {r.json()["id"] for r in responses} == {7}
            assert calls["async"] == 1  # single-flight, then Redis hits
            assert (await client.get("/users/abc")).status_code == 422  # FastAPI still validates
            assert (await client.get("/squares/4")).json() == {"n": 4, "square": 16}
            assert (await client.get("/squares/4")).json() == {"n": 4, "square": 16}
            assert calls["sync"] == 1
        assert await cache.aget("user:7") == {"id": 7, "verbose": False}
        assert await get_user.ainvalidate(7) is True
    finally:
        await cache.aclose()
        cache.reset()
