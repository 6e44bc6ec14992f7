"""Readiness over real HTTP: our own redis-server on a free port, stopped by its PID, turns /readyz to 503."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tausestack.core.testing import ServiceProcess, free_port, service_missing
from tausestack.web import WebSettings, create_app
from tausestack.web.testing import LiveServer


@pytest.fixture(autouse=True)
def _reset_sdk_defaults() -> Iterator[None]:
    """Leave no module default (built by readiness or the app) behind for other tests."""
    yield
    import importlib

    for name in ("auth", "storage", "cache", "database"):
        importlib.import_module(f"tausestack.{name}").reset()


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[ServiceProcess, int]]:
    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("redis-server is not installed")
    port = free_port()
    process = ServiceProcess(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        name="redis-server",
        cwd=tmp_path,
        log_path=tmp_path / "redis.log",
    )
    process.start(ready=lambda: _accepts(port), timeout=15)
    try:
        yield process, port
    finally:
        process.stop()


@pytest.mark.redis
def test_a_stopped_redis_makes_the_app_not_ready(
    own_redis: tuple[ServiceProcess, int], tmp_path: Path
) -> None:
    from tausestack import cache

    process, port = own_redis
    cache.configure(f"redis://127.0.0.1:{port}/0")
    settings = WebSettings(readiness_checks=["cache", "storage"], readiness_timeout=5)
    try:
        with LiveServer(create_app(settings, project_dir=tmp_path)) as live:
            ready = httpx.get(f"{live.url}/readyz", timeout=10)
            assert ready.status_code == 200
            assert ready.json()["checks"]["cache"] == {
                **ready.json()["checks"]["cache"],
                "status": "ok",
                "backend": f"redis://127.0.0.1:{port}/0",
            }
            process.stop()  # by its PID
            assert not _accepts(port)
            down = httpx.get(f"{live.url}/readyz", timeout=10)
            assert down.status_code == 503
            body = down.json()
            assert body["status"] == "not ready"
            assert body["checks"]["cache"]["status"] == "unavailable"
            assert body["checks"]["storage"]["status"] == "ok"
            assert httpx.get(f"{live.url}/healthz").status_code == 200  # liveness stays cheap and up
    finally:
        cache.reset()
