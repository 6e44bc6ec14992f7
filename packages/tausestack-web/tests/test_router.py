"""The router decorator/factory and the auth declarations it carries."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, WebSocket
from fastapi.testclient import TestClient

from tausestack.core import ConfigurationError
from tausestack.web import (
    AuthDeclaration,
    AuthRequirement,
    TauseStackRouter,
    create_app,
    public,
    requires_auth,
    route_table,
    router,
)
from tausestack.web._declarations import resolve
from tausestack.web.testing import auth_headers, sign_in


def test_factory_returns_an_api_router_with_metadata() -> None:
    api = router(tags=["items"], prefix="/items", auth_required=False, name="catalog")
    assert isinstance(api, TauseStackRouter)
    assert isinstance(api, APIRouter)
    assert api.prefix == "/items"
    assert api.tags == ["items"]
    assert api.auth == AuthDeclaration(auth_required=False)

    @api.get("")
    def list_items() -> list[str]:
        return []

    assert api.routes[0].path == "/items"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"auth_required": False, "roles": ["admin"]}, "public route cannot require roles"),
        ({"roles": "admin"}, "list of names"),
        ({"roles": [""]}, "invalid role name"),
        ({"prefix": "items"}, "must start with '/'"),
    ],
)
def test_bad_declarations_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        router(**options)


def test_route_keywords_conflicting_are_refused() -> None:
    api = router()
    with pytest.raises(ConfigurationError, match="contradicts"):
        api.get("/x", public=True, auth_required=True)


def test_decorator_on_an_existing_router_and_on_a_function() -> None:
    plain = APIRouter()
    assert router(plain, auth_required=False, tags=["t"]) is plain

    @router(roles=["admin"], prefix="/admin")
    def built() -> APIRouter:
        return APIRouter()

    assert isinstance(built, APIRouter)
    options = built.tausestack_options  # type: ignore[attr-defined]
    assert options.auth == AuthDeclaration(roles=("admin",))
    assert options.prefix == "/admin"


def test_decorator_misuse_is_refused() -> None:
    template = router()

    @template.get("/x")
    def x() -> None: ...

    with pytest.raises(ConfigurationError, match="must not have routes"):
        template(APIRouter())
    with pytest.raises(ConfigurationError, match="decorates an APIRouter"):
        router()(lambda: 42)
    with pytest.raises(ConfigurationError, match="unexpected APIRouter options"):
        router(APIRouter(), deprecated=True)  # type: ignore[call-overload]


def test_a_router_is_still_an_asgi_app() -> None:
    """Called with a scope (ASGI2 detection, as TestClient and uvicorn do) it serves, not decorates."""
    api = router()

    @api.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    assert callable(api({"type": "http"}))
    assert TestClient(api).get("/nothing").status_code == 404


@pytest.mark.parametrize(
    ("route", "router_rule", "expected"),
    [
        (None, None, AuthRequirement(public=False)),
        (None, AuthDeclaration(auth_required=False), AuthRequirement(public=True)),
        (
            AuthDeclaration(auth_required=True),
            AuthDeclaration(auth_required=False),
            AuthRequirement(public=False),
        ),
        (AuthDeclaration(auth_required=False), AuthDeclaration(roles=("a",)), AuthRequirement(public=True)),
        (AuthDeclaration(roles=("b",)), AuthDeclaration(roles=("a",)), AuthRequirement(False, ("a", "b"))),
        (AuthDeclaration(roles=("b",)), AuthDeclaration(auth_required=False), AuthRequirement(False, ("b",))),
    ],
)
def test_resolution(route: Any, router_rule: Any, expected: AuthRequirement) -> None:
    assert resolve(route, router_rule) == expected


def test_requirement_descriptions() -> None:
    assert AuthRequirement(public=True).describe() == "public"
    assert AuthRequirement(public=False).describe() == "required"
    assert AuthRequirement(public=False, roles=("a", "b")).describe() == "roles:a,b"


def test_one_function_with_two_rules_is_refused() -> None:
    def shared() -> None: ...

    router(auth_required=False).get("/a")(shared)
    with pytest.raises(ConfigurationError, match="different auth rules"):
        router(roles=["x"]).get("/b")(shared)
    with pytest.raises(ConfigurationError, match="declared twice"):
        public(requires_auth("x")(lambda: None))


def test_a_tausestack_router_included_by_hand_keeps_its_rules(auth_backend: Any, tmp_path: Any) -> None:
    app = create_app(project_dir=tmp_path, auth_backend=auth_backend)
    api = router(auth_required=False)

    @api.get("/open")
    def open_route() -> dict[str, bool]:
        return {"open": True}

    @api.api_route("/guarded", methods=["GET", "PUT"], roles=["editor"])
    def guarded() -> dict[str, bool]:
        return {"guarded": True}

    @api.websocket("/socket", auth_required=True)
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close()

    app.include_router(api, prefix="/manual")
    client = TestClient(app)
    assert client.get("/manual/open").status_code == 200
    assert client.put("/manual/guarded").status_code == 401
    user = auth_headers(sign_in("plain@example.com", backend=auth_backend))
    assert client.put("/manual/guarded", headers=user).status_code == 403
    editor = auth_headers(sign_in("editor@example.com", roles=["editor"], backend=auth_backend))
    assert client.put("/manual/guarded", headers=editor).json() == {"guarded": True}
    rows = {row.path: row.auth for row in route_table(app)}
    assert rows["/manual/socket"] == "required"
    assert rows["/manual/guarded"] == "roles:editor"


def test_require_roles_dependency_shows_in_the_route_table(auth_backend: Any, tmp_path: Any) -> None:
    from fastapi import Depends

    from tausestack.auth import require_roles

    app = create_app(project_dir=tmp_path, auth_backend=auth_backend)

    @app.get("/reports", dependencies=[Depends(require_roles("auditor"))])
    def reports() -> list[str]:
        return []

    assert {row.path: row.auth for row in route_table(app)}["/reports"] == "roles:auditor"
