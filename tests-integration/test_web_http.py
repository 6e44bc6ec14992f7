"""tausestack-web over real HTTP: uvicorn on a free port, the local auth backend, WebSockets, lifespan."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from tausestack.auth.backends.local import LocalAuthBackend
from tausestack.web import create_app
from tausestack.web.testing import LiveServer, auth_headers, sign_in

PROJECT = {
    "app/apis/notes/__init__.py": """
        from fastapi import APIRouter, WebSocket
        from tausestack.auth import AuthorizedUser

        router = APIRouter()

        @router.get("/notes")
        def notes(user: AuthorizedUser) -> dict:
            return {"owner": user.email}

        @router.websocket("/notes/live")
        async def live(websocket: WebSocket) -> None:
            protocol = websocket.headers.get("sec-websocket-protocol")
            await websocket.accept(subprotocol=protocol.split(",")[0].strip() if protocol else None)
            await websocket.send_json({"email": websocket.state.user.email})
            await websocket.close()
    """,
    "app/routes/admin.py": """
        from tausestack.web import public, router as make_router

        router = make_router(prefix="/admin", roles=["admin"])

        @router.get("/stats")
        def stats() -> dict:
            return {"users": 1}

        @router.get("/status", public=True)
        def status() -> dict:
            return {"status": "up"}
    """,
}


@pytest.fixture(autouse=True)
def _reset_sdk_defaults() -> Iterator[None]:
    """Leave no module default (built by readiness or the app) behind for other tests."""
    yield
    import importlib

    for name in ("auth", "storage", "cache", "database"):
        importlib.import_module(f"tausestack.{name}").reset()


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LocalAuthBackend]:
    local = LocalAuthBackend(
        directory=tmp_path / "auth",
        algorithm="ES256",
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    yield local
    local.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for relative, text in PROJECT.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root


@pytest.fixture
def server(project: Path, backend: LocalAuthBackend) -> Iterator[LiveServer]:
    with LiveServer(create_app(project_dir=project, auth_backend=backend)) as live:
        yield live


def test_default_deny_tokens_and_roles_over_http(server: LiveServer, backend: LocalAuthBackend) -> None:
    with httpx.Client(base_url=server.url) as client:
        refused = client.get("/api/notes")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["x-request-id"] == refused.json()["request_id"]

        user = auth_headers(sign_in("ada@example.com", backend=backend))
        assert client.get("/api/notes", headers=user).json() == {"owner": "ada@example.com"}
        assert client.get("/api/notes", headers={"Authorization": "Bearer x.y.z"}).status_code == 401

        assert client.get("/api/admin/stats", headers=user).status_code == 403
        admin = auth_headers(sign_in("root@example.com", roles=["admin"], backend=backend))
        assert client.get("/api/admin/stats", headers=admin).json() == {"users": 1}
        assert client.get("/api/admin/status").json() == {"status": "up"}


def test_revoked_tokens_stop_working(server: LiveServer, backend: LocalAuthBackend) -> None:
    pair = sign_in("bob@example.com", backend=backend)
    with httpx.Client(base_url=server.url, headers=auth_headers(pair)) as client:
        assert client.get("/api/notes").status_code == 200
        backend.revoke_tokens(backend.get_user_by_email("bob@example.com").uid)
        assert client.get("/api/notes").status_code == 401


def test_websocket_auth_over_a_real_handshake(server: LiveServer, backend: LocalAuthBackend) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url = server.url.replace("http://", "ws://") + "/api/notes/live"
    with pytest.raises(InvalidStatus) as caught:
        connect(url, open_timeout=5).close()
    assert caught.value.response.status_code == 403
    pair = sign_in("carol@example.com", backend=backend)
    protocol = f"Authorization.Bearer.{pair.access_token}"
    with connect(url, subprotocols=[protocol], open_timeout=5) as websocket:  # type: ignore[list-item]
        assert websocket.recv(timeout=5) == '{"email":"carol@example.com"}'
    with connect(url, additional_headers=auth_headers(pair), open_timeout=5) as websocket:
        assert "carol@example.com" in str(websocket.recv(timeout=5))


def test_lifespan_runs_the_apps_own_and_closes_the_sdk_clients(
    project: Path, backend: LocalAuthBackend
) -> None:
    from tausestack import cache

    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        events.append("start")
        await cache.aset("warm", 1)
        yield
        events.append("stop")

    original = cache.aclose

    async def closing() -> None:
        events.append("cache closed")
        await original()

    cache.aclose = closing  # type: ignore[assignment]
    try:
        with LiveServer(create_app(project_dir=project, auth_backend=backend, lifespan=lifespan)) as live:
            assert events == ["start"]
            ready = httpx.get(f"{live.url}/readyz").json()
            assert ready["status"] == "ready"
            assert ready["checks"]["cache"]["status"] == "ok"
        assert events == ["start", "stop", "cache closed"]
    finally:
        cache.aclose = original  # type: ignore[assignment]
        cache.reset()


def test_a_broken_router_stops_the_server_from_starting(tmp_path: Path) -> None:
    """The error names the module before uvicorn ever binds the port."""
    from tausestack.web import RouterImportError

    broken = tmp_path / "broken"
    (broken / "app" / "routes").mkdir(parents=True)
    (broken / "app" / "routes" / "orders.py").write_text("from nowhere import thing\n")
    with pytest.raises(RouterImportError, match=r"app\.routes\.orders"):
        create_app(project_dir=broken)


def test_cors_preflight_over_http(project: Path, backend: LocalAuthBackend) -> None:
    from tausestack.web import WebSettings

    settings = WebSettings(cors_origins=["https://ui.example.com"], cors_allow_credentials=True)
    with LiveServer(create_app(settings, project_dir=project, auth_backend=backend)) as live:
        response = httpx.options(
            f"{live.url}/api/notes",
            headers={"Origin": "https://ui.example.com", "Access-Control-Request-Method": "GET"},
        )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://ui.example.com"
    assert response.headers["access-control-allow-credentials"] == "true"
