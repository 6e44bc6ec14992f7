"""The app's lifespan: check the routes, build the auth backend, close the SDK clients at the end."""

from __future__ import annotations

import importlib
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from tausestack.core import get_logger
from tausestack.web._state import WebState

__all__ = ["CLOSED_MODULES", "make_lifespan", "close_sdk_clients"]

_log = get_logger("web")

#: Modules whose default clients are closed when the app stops (each only if installed).
CLOSED_MODULES: tuple[str, ...] = ("auth", "storage", "cache", "database", "secrets", "notify")

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


async def close_sdk_clients() -> list[str]:
    """Call ``aclose()`` on every installed SDK module; returns the modules closed.

    A failure is logged and does not stop the others from closing.
    """
    closed: list[str] = []
    for name in CLOSED_MODULES:
        try:
            module = importlib.import_module(f"tausestack.{name}")
        except ImportError:
            continue
        aclose = getattr(module, "aclose", None)
        if not callable(aclose):
            continue
        try:
            await aclose()
        except Exception as exc:
            _log.warning("closing tausestack.%s failed: %s", name, exc)
            continue
        closed.append(name)
    return closed


def make_lifespan(state: WebState, user_lifespan: Lifespan | None) -> Lifespan:
    """A lifespan that wraps the app's own (``create_app(lifespan=...)``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        from tausestack.web._app import check_routes

        started = time.perf_counter()
        check_routes(app)  # routes added after create_app are checked too
        state.forget_cache()
        backend = state.backend()  # a misconfigured auth backend fails start-up, not the first request
        _log.info(
            "app started: %d routers, auth %s, %.0f ms",
            len(state.routers),
            backend.describe(),
            (time.perf_counter() - started) * 1000,
        )
        try:
            if user_lifespan is None:
                yield None
            else:
                async with user_lifespan(app) as value:
                    yield value
        finally:
            closed = await close_sdk_clients()
            _log.info("app stopped; closed %s", ", ".join(closed) or "nothing")

    return lifespan
