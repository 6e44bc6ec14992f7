"""The FastAPI dependencies, through a real app and TestClient, on a table-driven backend."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Request, WebSocket
from fastapi.testclient import TestClient
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response
from starlette.websockets import WebSocketDisconnect

from tausestack import auth
from tausestack.auth import AuthorizedUser, OptionalUser, User, get_current_user, require_roles

from ._doubles import TableBackend

ADA = User(uid="ada", email="ada@example.com", roles=["admin"])
BOB = User(uid="bob", email="bob@example.com")


@pytest.fixture
def backend() -> TableBackend:
    table = TableBackend({"tok-ada": ADA, "tok-bob": BOB})
    auth.configure(table)
    return table


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/me")
    def me(user: AuthorizedUser) -> dict[str, str]:
        return {"uid": user.uid, "sub": user.sub}

    @app.get("/maybe")
    def maybe(user: OptionalUser) -> dict[str, str | None]:
        return {"uid": user.uid if user else None}

    @app.get("/admin", dependencies=[Depends(require_roles("admin"))])
    def admin() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/admin-user")
    def admin_user(user: Annotated[User, Depends(require_roles("admin"))]) -> dict[str, str]:
        return {"uid": user.uid}

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, user: AuthorizedUser) -> None:
        protocol = websocket.headers.get("sec-websocket-protocol")
        await websocket.accept(subprotocol=protocol.split(",")[0].strip() if protocol else None)
        await websocket.send_json({"uid": user.uid})
        await websocket.close()

    return app


@pytest.fixture
def client(backend: TableBackend) -> TestClient:
    return TestClient(make_app())


def test_missing_token_is_401_with_bearer_challenge(client: TestClient) -> None:
    response = client.get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_invalid_token_is_401_invalid_token(client: TestClient) -> None:
    response = client.get("/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert "nope" not in response.text


def test_valid_bearer_token(client: TestClient) -> None:
    response = client.get("/me", headers={"Authorization": "bearer tok-ada"})
    assert response.status_code == 200
    assert response.json() == {"uid": "ada", "sub": "ada"}


def test_other_schemes_are_not_bearer(client: TestClient) -> None:
    assert client.get("/me", headers={"Authorization": "Basic tok-ada"}).status_code == 401


def test_cookie_only_when_configured(backend: TableBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(make_app(), cookies={"session": "tok-bob"})
    assert client.get("/me").status_code == 401
    monkeypatch.setenv("TAUSESTACK_AUTH_COOKIE", "session")
    auth.reset()
    auth.configure(backend)
    assert client.get("/me").json()["uid"] == "bob"


def test_header_wins_over_cookie(backend: TableBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_AUTH_COOKIE", "session")
    client = TestClient(make_app(), cookies={"session": "tok-bob"})
    assert client.get("/me", headers={"Authorization": "Bearer tok-ada"}).json()["uid"] == "ada"


def test_optional_user(client: TestClient) -> None:
    assert client.get("/maybe").json() == {"uid": None}
    assert client.get("/maybe", headers={"Authorization": "Bearer forged"}).json() == {"uid": None}
    assert client.get("/maybe", headers={"Authorization": "Bearer tok-bob"}).json() == {"uid": "bob"}


def test_require_roles(client: TestClient) -> None:
    assert client.get("/admin").status_code == 401
    forbidden = client.get("/admin", headers={"Authorization": "Bearer tok-bob"})
    assert forbidden.status_code == 403
    assert "admin" in forbidden.json()["detail"]
    assert client.get("/admin", headers={"Authorization": "Bearer tok-ada"}).json() == {"ok": True}
    assert client.get("/admin-user", headers={"Authorization": "Bearer tok-ada"}).json() == {"uid": "ada"}


def test_require_roles_marks_the_dependency_and_refuses_no_roles() -> None:
    dependency = require_roles("admin", "editor")
    assert dependency.__tausestack_roles__ == ("admin", "editor")  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="role"):
        require_roles()


def test_token_verified_once_per_request(client: TestClient, backend: TableBackend) -> None:
    client.get("/admin-user", headers={"Authorization": "Bearer tok-ada"})
    assert backend.calls == 1


def test_state_user_from_a_middleware_is_used(backend: TableBackend) -> None:
    app = make_app()

    async def authenticate(request: Request, call_next: RequestResponseEndpoint) -> Response:
        request.state.user = BOB
        return await call_next(request)

    app.add_middleware(BaseHTTPMiddleware, dispatch=authenticate)
    response = TestClient(app).get("/me", headers={"Authorization": "Bearer tok-ada"})
    assert response.json()["uid"] == "bob"
    assert backend.calls == 0


def test_websocket_subprotocol_token(client: TestClient) -> None:
    with client.websocket_connect("/ws", subprotocols=["Authorization.Bearer.tok-ada"]) as ws:
        assert ws.receive_json() == {"uid": "ada"}


def test_websocket_without_token_is_refused(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/ws"):
        pass
    assert info.value.code == 1008


def test_openapi_declares_bearer_security(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["BearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert schema["paths"]["/me"]["get"]["security"] == [{"BearerAuth": []}]


def test_get_current_user_is_exported_lazily() -> None:
    assert auth.get_current_user is get_current_user
