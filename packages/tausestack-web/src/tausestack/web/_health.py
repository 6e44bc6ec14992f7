"""Liveness (``/healthz``, always cheap) and readiness (``/readyz``, each backend's ``ahealth()``)."""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from typing import Any, Literal

import anyio
from fastapi import APIRouter
from starlette.responses import JSONResponse

from tausestack.core import get_logger, redact
from tausestack.web._declarations import public
from tausestack.web._settings import WebSettings

__all__ = ["CheckResult", "AUTO_MODULES", "check_module", "check_readiness", "health_router"]

_log = get_logger("web.health")

#: Modules readiness checks when ``readiness_checks`` is not set (each only if installed).
AUTO_MODULES: tuple[str, ...] = ("auth", "storage", "cache", "database")

Status = Literal["ok", "unavailable", "not installed"]


@dataclass(frozen=True)
class CheckResult:
    """One module's readiness: ``ok``, ``unavailable`` (with the error) or ``not installed``."""

    module: str
    status: Status
    backend: str | None = None
    error: str | None = None
    duration_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status}
        if self.backend is not None:
            data["backend"] = self.backend
        if self.error is not None:
            data["error"] = self.error
        if self.status != "not installed":
            data["duration_ms"] = round(self.duration_ms, 1)
        return data


def _load(name: str) -> Any | None:
    try:
        module = importlib.import_module(f"tausestack.{name}")
    except ImportError:
        return None
    return module if callable(getattr(module, "ahealth", None)) else None


async def check_module(name: str, *, timeout: float) -> CheckResult:
    """Call ``tausestack.<name>.ahealth()`` within ``timeout`` seconds.

    A module that is not installed (or has no ``ahealth``) is ``not installed``; any error or
    a timeout is ``unavailable`` with a redacted message.
    """
    module = _load(name)
    if module is None:
        return CheckResult(name, "not installed")
    backend: str | None = None
    describe = getattr(module, "describe", None)
    if callable(describe):
        try:
            backend = redact(str(describe()))
        except Exception as exc:
            return CheckResult(name, "unavailable", None, redact(f"{type(exc).__name__}: {exc}"))
    started = time.perf_counter()
    try:
        with anyio.fail_after(timeout):
            await module.ahealth()
    except TimeoutError:
        elapsed = (time.perf_counter() - started) * 1000
        return CheckResult(name, "unavailable", backend, f"no answer within {timeout:g}s", elapsed)
    except Exception as exc:
        elapsed = (time.perf_counter() - started) * 1000
        _log.warning("readiness: %s is unavailable: %s", name, exc)
        return CheckResult(name, "unavailable", backend, redact(f"{type(exc).__name__}: {exc}"), elapsed)
    return CheckResult(name, "ok", backend, None, (time.perf_counter() - started) * 1000)


async def check_readiness(settings: WebSettings) -> tuple[bool, list[CheckResult]]:
    """Check every configured module concurrently; ready when none is unavailable.

    With ``readiness_checks`` unset, installed modules among :data:`AUTO_MODULES` are checked and
    missing ones are only reported; a module listed explicitly must be installed.
    """
    explicit = settings.readiness_checks is not None
    names = list(settings.readiness_checks) if settings.readiness_checks is not None else list(AUTO_MODULES)
    results: dict[str, CheckResult] = {}

    async def run(name: str) -> None:
        results[name] = await check_module(name, timeout=settings.readiness_timeout)

    async with anyio.create_task_group() as group:
        for name in names:
            group.start_soon(run, name)
    ordered = [results[name] for name in names]
    ready = all(
        result.status == "ok" or (result.status == "not installed" and not explicit) for result in ordered
    )
    return ready, ordered


def health_router(settings: WebSettings) -> APIRouter:
    """The public liveness and readiness routes (excluded from the OpenAPI schema)."""
    api = APIRouter(include_in_schema=False)

    if settings.health_path:

        @api.get(settings.health_path)
        @public
        async def healthz() -> dict[str, str]:
            return {"status": "ok"}

    if settings.ready_path:

        @api.get(settings.ready_path)
        @public
        async def readyz() -> JSONResponse:
            ready, results = await check_readiness(settings)
            body = {
                "status": "ready" if ready else "not ready",
                "checks": {result.module: result.as_dict() for result in results},
            }
            return JSONResponse(body, status_code=200 if ready else 503)

    return api
