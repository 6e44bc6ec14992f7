"""Readiness: each installed SDK module's ``ahealth()``; missing modules; failures; time-outs.

Fake modules (inserted into ``sys.modules`` as ``tausestack.<name>``) are used only where the
behaviour cannot be provoked with a real module: a module that has no ``ahealth`` (like a package
that has not shipped it yet), one that hangs, one whose error message carries a password. The real
modules (auth, storage, cache, database) are checked on their embedded defaults and, for a real
outage, on a PostgreSQL URL nobody listens on; a stopped Redis is in tests-integration.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from tausestack.core import BackendUnavailableError
from tausestack.core.testing import free_port
from tausestack.web import WebSettings, check_readiness, create_app


@pytest.fixture
def fake_module() -> Iterator[types.ModuleType]:
    module = types.ModuleType("tausestack.fakemod")
    sys.modules["tausestack.fakemod"] = module
    yield module
    del sys.modules["tausestack.fakemod"]


def test_every_installed_module_is_checked_on_its_embedded_default(auth_backend: Any) -> None:
    response = TestClient(create_app(auth_backend=auth_backend)).get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"auth", "storage", "cache", "database"}
    assert body["checks"]["database"]["backend"].startswith("sqlite")
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_a_database_nobody_listens_on_is_not_ready(auth_backend: Any) -> None:
    from tausestack import database

    database.configure(f"postgresql+psycopg://postgres:pw-xyz@127.0.0.1:{free_port()}/nothing")
    settings = WebSettings(readiness_checks=["database"], readiness_timeout=10)
    response = TestClient(create_app(settings, auth_backend=auth_backend)).get("/readyz")
    assert response.status_code == 503
    check = response.json()["checks"]["database"]
    assert check["status"] == "unavailable"
    assert "pw-xyz" not in response.text
    assert check["error"]


@pytest.mark.anyio
async def test_a_module_without_ahealth_counts_as_not_installed(fake_module: types.ModuleType) -> None:
    ready, results = await check_readiness(WebSettings(readiness_checks=None))
    assert ready
    ready, results = await check_readiness(WebSettings(readiness_checks=["fakemod"]))
    assert not ready
    assert results[0].status == "not installed"
    ready, results = await check_readiness(WebSettings(readiness_checks=["no_such_module"]))
    assert not ready
    assert results[0].as_dict() == {"status": "not installed"}


@pytest.mark.anyio
async def test_failures_are_redacted_and_hangs_time_out(fake_module: types.ModuleType) -> None:
    async def failing() -> None:
        raise BackendUnavailableError("cannot reach redis://:hunter2@cache:6379/0")

    fake_module.ahealth = failing  # type: ignore[attr-defined]
    fake_module.describe = lambda: "redis://:hunter2@cache:6379/0"  # type: ignore[attr-defined]
    ready, results = await check_readiness(WebSettings(readiness_checks=["fakemod"]))
    assert not ready
    assert results[0].status == "unavailable"
    assert "hunter2" not in str(results[0].as_dict())
    assert "BackendUnavailableError" in (results[0].error or "")

    async def hanging() -> None:
        await anyio.sleep(30)

    fake_module.ahealth = hanging  # type: ignore[attr-defined]
    ready, results = await check_readiness(WebSettings(readiness_checks=["fakemod"], readiness_timeout=0.2))
    assert not ready
    assert results[0].error == "no answer within 0.2s"
