"""The auth layer through TestClient: default-deny, declarations, routers.json, roles, WebSockets, OpenAPI.

Real HTTP through uvicorn for the same paths is in tests-integration/test_web_http.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tausestack.auth import User
from tausestack.web import create_app, route_table
from tausestack.web.testing import auth_headers, sign_in

APP = {
    # a Databutton router with no declaration: protected
    "app/apis/private/__init__.py": """
        from fastapi import APIRouter
        from tausestack.auth import AuthorizedUser

        router = APIRouter()

        @router.get("/me")
        def me(user: AuthorizedUser) -> dict:
            return {"uid": user.uid, "email": user.email}

        @router.get("/plain")
        def plain() -> dict:
            return {"ok": True}
    """,
    # the router factory, public, with one protected and one role-guarded route
    "app/apis/catalog/__init__.py": """
        from tausestack.web import router as make_router

        router = make_router(tags=["catalog"], auth_required=False)

        @router.get("/items")
        def items() -> list[str]:
            return ["tea"]

        @router.post("/items", auth_required=True)
        def add_item() -> dict:
            return {"added": True}

        @router.delete("/items", roles=["admin"])
        def clear_items() -> dict:
            return {"cleared": True}
    """,
    # a router with roles, one route opened with @public
    "app/routes/admin.py": """
        from tausestack.web import public, router as make_router

        router = make_router(prefix="/admin", roles=["admin", "ops"])

        @router.get("/stats")
        def stats() -> dict:
            return {"stats": 1}

        @router.get("/ping")
        @public
        def ping() -> dict:
            return {"pong": True}
    """,
    # the decorator form on a function that builds a plain router
    "app/routes/reports.py": """
        from fastapi import APIRouter
        from tausestack.web import router as tausestack_router

        @tausestack_router(tags=["reports"], auth_required=False)
        def router() -> APIRouter:
            api = APIRouter()

            @api.get("/reports")
            def reports() -> list[str]:
                return ["q1"]

            return api
    """,
    # opened by routers.json, as Databutton does
    "app/apis/webhooks/__init__.py": """
        from fastapi import APIRouter, WebSocket

        router = APIRouter()

        @router.post("/hook")
        def hook() -> dict:
            return {"received": True}
    """,
    "app/apis/live/__init__.py": """
        from fastapi import APIRouter, WebSocket
        from tausestack.auth import AuthorizedUser

        router = APIRouter()

        @router.websocket("/live")
        async def live(websocket: WebSocket) -> None:
            await websocket.accept()
            user = websocket.state.user
            await websocket.send_json({"uid": user.uid})
            await websocket.close()
    """,
    "routers.json": '{"routers": {"webhooks": {"disableAuth": true}, "private": {"disableAuth": false}}}',
}


@pytest.fixture
def app(make_project: Any, auth_backend: Any) -> Any:
    return create_app(project_dir=make_project(APP), auth_backend=auth_backend)


@pytest.fixture
def client(app: Any) -> TestClient:
    return TestClient(app)


def token(auth_backend: Any, email: str, roles: tuple[str, ...] = ()) -> dict[str, str]:
    return auth_headers(sign_in(email, roles=roles, backend=auth_backend))


def test_a_router_with_no_declaration_is_protected(client: TestClient, auth_backend: Any) -> None:
    for path in ("/api/me", "/api/plain"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "Not authenticated"
    headers = token(auth_backend, "ada@example.com")
    assert client.get("/api/plain", headers=headers).json() == {"ok": True}
    assert client.get("/api/me", headers=headers).json()["email"] == "ada@example.com"


def test_invalid_and_forged_tokens_are_401(client: TestClient, auth_backend: Any) -> None:
    good = token(auth_backend, "ada@example.com")["Authorization"]
    for value in ("Bearer not-a-jwt", f"{good[:-4]}AAAA", "Bearer "):
        response = client.get("/api/plain", headers={"Authorization": value})
        assert response.status_code == 401, value
    response = client.get("/api/plain", headers={"Authorization": "Bearer abc.def.ghi"})
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_public_router_and_route_overrides(client: TestClient, auth_backend: Any) -> None:
    assert client.get("/api/items").json() == ["tea"]
    assert client.post("/api/items").status_code == 401
    headers = token(auth_backend, "bob@example.com")
    assert client.post("/api/items", headers=headers).json() == {"added": True}
    assert client.delete("/api/items", headers=headers).status_code == 403
    admin = token(auth_backend, "root@example.com", ("admin",))
    assert client.delete("/api/items", headers=admin).json() == {"cleared": True}


def test_router_roles_need_every_role(client: TestClient, auth_backend: Any) -> None:
    assert client.get("/api/admin/stats").status_code == 401
    only_admin = token(auth_backend, "half@example.com", ("admin",))
    response = client.get("/api/admin/stats", headers=only_admin)
    assert response.status_code == 403
    assert response.json()["detail"] == "Missing required role(s): ops"
    both = token(auth_backend, "full@example.com", ("admin", "ops"))
    assert client.get("/api/admin/stats", headers=both).json() == {"stats": 1}
    assert client.get("/api/admin/ping").json() == {"pong": True}


def test_decorator_on_a_router_function(client: TestClient) -> None:
    assert client.get("/api/reports").json() == ["q1"]


def test_routers_json_disable_auth(client: TestClient) -> None:
    assert client.post("/api/hook").json() == {"received": True}


def test_a_bad_token_on_a_public_route_is_ignored(client: TestClient) -> None:
    response = client.get("/api/items", headers={"Authorization": "Bearer junk"})
    assert response.status_code == 200


def test_websocket_needs_a_token(client: TestClient, auth_backend: Any) -> None:
    with pytest.raises(WebSocketDisconnect) as caught, client.websocket_connect("/api/live"):
        pass
    assert caught.value.code == 1008
    pair = sign_in("ws@example.com", backend=auth_backend)
    with client.websocket_connect(
        "/api/live", subprotocols=[f"Authorization.Bearer.{pair.access_token}"]
    ) as ws:
        assert ws.receive_json()["uid"] == pair_uid(auth_backend, "ws@example.com")
    with client.websocket_connect("/api/live", headers=auth_headers(pair)) as ws:
        assert "uid" in ws.receive_json()


def pair_uid(auth_backend: Any, email: str) -> str:
    user: User = auth_backend.get_user_by_email(email)
    return user.uid


def test_route_table_shows_each_rule(app: Any) -> None:
    rows = {(row.path, row.methods): row for row in route_table(app)}
    assert rows[("/api/me", ("GET",))].auth == "required"
    assert rows[("/api/items", ("GET",))].auth == "public"
    assert rows[("/api/items", ("POST",))].auth == "required"
    assert rows[("/api/items", ("DELETE",))].auth == "roles:admin"
    assert rows[("/api/admin/stats", ("GET",))].auth == "roles:admin,ops"
    assert rows[("/api/admin/ping", ("GET",))].auth == "public"
    assert rows[("/api/hook", ("POST",))].auth == "public"
    assert rows[("/api/live", ("WEBSOCKET",))].auth == "required"
    assert rows[("/healthz", ("GET",))].auth == "public"
    assert rows[("/api/items", ("GET",))].tags == ("catalog",)
    assert rows[("/api/reports", ("GET",))].tags == ("reports",)


def test_openapi_shows_bearer_on_protected_operations_only(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["BearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    paths = schema["paths"]
    assert paths["/api/plain"]["get"]["security"] == [{"BearerAuth": []}]
    assert "401" in paths["/api/plain"]["get"]["responses"]
    assert "security" not in paths["/api/items"]["get"]
    assert paths["/api/items"]["post"]["security"] == [{"BearerAuth": []}]
    assert "403" in paths["/api/items"]["delete"]["responses"]
    assert "security" not in paths["/api/hook"]["post"]
    assert "security" not in paths["/api/admin/ping"]["get"]
    assert "/healthz" not in paths


def test_routes_added_after_create_app_are_protected_too(app: Any, auth_backend: Any) -> None:
    @app.get("/late")
    def late() -> dict[str, bool]:
        return {"late": True}

    extra = APIRouter()

    @extra.get("/late-router")
    def late_router() -> dict[str, bool]:
        return {"late": True}

    app.include_router(extra)
    client = TestClient(app)
    assert client.get("/late").status_code == 401
    assert client.get("/late-router").status_code == 401
    assert client.get("/late", headers=token(auth_backend, "late@example.com")).status_code == 200


def test_routers_json_conflicting_with_the_code_is_refused(make_project: Any) -> None:
    from tausestack.web import RouterDiscoveryError

    project = make_project(
        {
            "app/apis/a/__init__.py": "from tausestack.web import router as r\nrouter = r(auth_required=True)\n",
            "routers.json": '{"routers": {"a": {"disableAuth": true}}}',
        }
    )
    with pytest.raises(RouterDiscoveryError, match="disableAuth"):
        create_app(project_dir=project)


class _DownBackend:
    """A stand-in whose verification always fails as a backend outage would (no real outage can be
    provoked in the local backend, which verifies in-process); used only for the 503 path."""

    def describe(self) -> str:
        return "down://"

    async def averify_token(self, token: str) -> Any:
        from tausestack.core import BackendUnavailableError

        raise BackendUnavailableError("identity provider unreachable")


def test_an_unreachable_auth_backend_is_503_on_protected_routes(make_project: Any) -> None:
    app = create_app(project_dir=make_project(APP), auth_backend=_DownBackend())  # type: ignore[arg-type]
    client = TestClient(app)
    headers = {"Authorization": "Bearer abc.def.ghi"}
    assert client.get("/api/plain", headers=headers).status_code == 503
    assert client.get("/api/items", headers=headers).status_code == 200


def test_cached_rules_still_refuse_after_traffic(app: Any, auth_backend: Any) -> None:
    """Each route's rule is resolved once and cached: repeated requests keep every decision."""
    client = TestClient(app)
    ada = token(auth_backend, "ada@example.com")
    admin = token(auth_backend, "root@example.com", roles=("admin",))
    for _ in range(3):  # the second and third rounds take the cached paths
        assert client.get("/api/plain", headers=ada).status_code == 200
        assert client.get("/api/plain").status_code == 401
        assert client.get("/api/plain", headers={"Authorization": "Bearer forged"}).status_code == 401
        assert client.delete("/api/items", headers=ada).status_code == 403
        assert client.delete("/api/items", headers=admin).status_code == 200
        assert client.get("/api/items").status_code == 200
        assert client.get("/healthz").status_code == 200

    @app.get("/later")  # added after the rules above were cached
    def later() -> dict[str, bool]:
        return {"later": True}

    assert client.get("/later").status_code == 401
    assert client.get("/later", headers=ada).status_code == 200
