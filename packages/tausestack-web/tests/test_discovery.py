"""Router discovery: both layouts, fixed order, routers.json, and start-up failures that name the module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tausestack.core import ConfigurationError
from tausestack.web import (
    DuplicateRouteError,
    RouterDiscoveryError,
    RouterImportError,
    RouterNameClashError,
    create_app,
    route_table,
)

PLAIN = """
from fastapi import APIRouter

router = APIRouter()

@router.get("/{name}")
def hello() -> dict:
    return {"router": "{name}"}
"""


def plain(name: str) -> str:
    return PLAIN.replace("{name}", name)


def build(project: Path, **options: Any) -> Any:
    return create_app(project_dir=project, auth_backend=options.pop("auth_backend", None), **options)


def test_both_layouts_are_mounted_under_the_api_prefix_in_a_fixed_order(
    make_project: Any, auth_backend: Any
) -> None:
    project = make_project(
        {
            "app/apis/zeta/__init__.py": plain("zeta"),
            "app/apis/alpha/__init__.py": plain("alpha"),
            "app/apis/_private/__init__.py": "raise RuntimeError('never imported')",
            "app/apis/notes/readme.txt": "a folder without __init__.py is not a router",
            "app/routes/beta.py": plain("beta"),
            "app/routes/_helpers.py": "raise RuntimeError('never imported')",
        }
    )
    app = build(project, auth_backend=auth_backend)
    paths = [row.path for row in route_table(app) if row.path.startswith("/api")]
    assert paths == ["/api/alpha", "/api/zeta", "/api/beta"]
    modules = [row.module for row in route_table(app) if row.path.startswith("/api")]
    assert modules == ["app.apis.alpha", "app.apis.zeta", "app.routes.beta"]


def test_prefix_is_configurable_and_relative_imports_work(make_project: Any, auth_backend: Any) -> None:
    from tausestack.web import WebSettings

    project = make_project(
        {
            "app/apis/shop/__init__.py": """
                from fastapi import APIRouter
                from tausestack.web import public
                from app.apis.shop.models import Item
                from .prices import price

                router = APIRouter()

                @router.get("/items")
                @public
                def items() -> list[Item]:
                    return [Item(name="tea", price=price("tea"))]
            """,
            "app/apis/shop/models.py": """
                from pydantic import BaseModel

                class Item(BaseModel):
                    name: str
                    price: float
            """,
            "app/apis/shop/prices.py": "def price(name: str) -> float:\n    return 2.5\n",
        }
    )
    app = build(project, settings=WebSettings(api_prefix="/routes"), auth_backend=auth_backend)
    response = TestClient(app).get("/routes/items")
    assert response.status_code == 200
    assert response.json() == [{"name": "tea", "price": 2.5}]


def test_absolute_apis_dir_anchors_the_project(make_project: Any, auth_backend: Any) -> None:
    project = make_project({"app/apis/one/__init__.py": plain("one"), "app/routes/two.py": plain("two")})
    app = create_app(apis_dir=project / "app" / "apis", auth_backend=auth_backend)
    assert {row.path for row in route_table(app)} >= {"/api/one", "/api/two"}


def test_a_second_project_with_the_same_package_name_is_imported_fresh(
    make_project: Any, auth_backend: Any
) -> None:
    first = make_project({"app/apis/same/__init__.py": plain("first")})
    second = make_project({"app/apis/same/__init__.py": plain("second")})
    assert "/api/first" in {row.path for row in route_table(build(first, auth_backend=auth_backend))}
    assert "/api/second" in {row.path for row in route_table(build(second, auth_backend=auth_backend))}


def test_import_error_stops_start_up_naming_the_module(make_project: Any) -> None:
    project = make_project(
        {
            "app/apis/good/__init__.py": plain("good"),
            "app/apis/broken/__init__.py": "import not_a_real_module_xyz\nfrom fastapi import APIRouter\nrouter = APIRouter()\n",
        }
    )
    with pytest.raises(RouterImportError) as caught:
        build(project)
    error = caught.value
    assert error.module == "app.apis.broken"
    assert "app.apis.broken" in str(error)
    assert "not_a_real_module_xyz" in str(error)
    assert "__init__.py, line 1" in str(error)
    assert isinstance(error.__cause__, ModuleNotFoundError)
    assert isinstance(error, ConfigurationError)


def test_syntax_error_and_exceptions_at_import_time_are_reported(make_project: Any) -> None:
    project = make_project({"app/routes/bad.py": "def broken(:\n"})
    with pytest.raises(RouterImportError, match=r"app\.routes\.bad .*SyntaxError.*line 1"):
        build(project)
    project = make_project({"app/routes/boom.py": "raise RuntimeError('db password=hunter2 missing')\n"})
    with pytest.raises(RouterImportError) as caught:
        build(project)
    assert "RuntimeError" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_name_clash_between_layouts_stops_start_up(make_project: Any) -> None:
    project = make_project({"app/apis/users/__init__.py": plain("a"), "app/routes/users.py": plain("b")})
    with pytest.raises(RouterNameClashError) as caught:
        build(project)
    message = str(caught.value)
    assert "app.apis.users" in message
    assert "app.routes.users" in message
    assert caught.value.module == "app.routes.users"


def test_name_clash_through_router_names(make_project: Any) -> None:
    named = "from tausestack.web import router as r\nrouter = r(name='shared')\n"
    project = make_project({"app/apis/one/__init__.py": named, "app/apis/two/__init__.py": named})
    with pytest.raises(RouterNameClashError, match="'shared'"):
        build(project)


def test_duplicate_method_and_path_stops_start_up(make_project: Any) -> None:
    project = make_project(
        {
            "app/apis/first/__init__.py": """
                from fastapi import APIRouter
                router = APIRouter()
                @router.get("/items/{item_id}")
                def get_item(item_id: str) -> dict:
                    return {}
            """,
            "app/routes/second.py": """
                from fastapi import APIRouter
                router = APIRouter()
                @router.post("/items/{key}")
                def post_item(key: str) -> dict:
                    return {}
                @router.get("/items/{key}")
                def get_item_again(key: str) -> dict:
                    return {}
            """,
        }
    )
    with pytest.raises(DuplicateRouteError) as caught:
        build(project)
    message = str(caught.value)
    assert "GET /api/items/{key}" in message
    assert "app.apis.first.get_item" in message
    assert "app.routes.second.get_item_again" in message
    assert caught.value.module == "app.routes.second"


def test_duplicate_websocket_paths_are_refused(make_project: Any) -> None:
    socket = """
        from fastapi import APIRouter, WebSocket
        router = APIRouter()
        @router.websocket("/live")
        async def live(ws: WebSocket) -> None:
            await ws.close()
    """
    project = make_project({"app/apis/a/__init__.py": socket, "app/apis/b/__init__.py": socket})
    with pytest.raises(DuplicateRouteError, match="WEBSOCKET /api/live"):
        build(project)


def test_a_module_without_router_is_an_error_not_a_skip(make_project: Any) -> None:
    project = make_project({"app/routes/schemas.py": "X = 1\n"})
    with pytest.raises(RouterDiscoveryError, match=r"app\.routes\.schemas .*no module-level `router`"):
        build(project)
    project = make_project({"app/routes/wrong.py": "router = object()\n"})
    with pytest.raises(RouterDiscoveryError, match=r"not a fastapi\.APIRouter"):
        build(project)


def test_invalid_module_names_are_refused(make_project: Any) -> None:
    project = make_project({"app/routes/my-api.py": plain("x")})
    with pytest.raises(RouterDiscoveryError, match="not a valid Python module name"):
        build(project)


def test_missing_directories_mean_no_routers(tmp_path: Path, auth_backend: Any) -> None:
    app = create_app(project_dir=tmp_path, auth_backend=auth_backend)
    assert [row.path for row in route_table(app) if row.path.startswith("/api")] == []


def test_discover_false_mounts_nothing(make_project: Any, auth_backend: Any) -> None:
    project = make_project({"app/routes/broken.py": "raise RuntimeError\n"})
    app = create_app(project_dir=project, discover=False, auth_backend=auth_backend)
    assert TestClient(app).get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"routers": []}', "must look like"),
        ('{"routers": {"a": true}}', "must be an object"),
        ('{"routers": {"a": {"disableAuth": "yes"}}}', "true or false"),
    ],
)
def test_malformed_routers_json_stops_start_up(make_project: Any, text: str, message: str) -> None:
    project = make_project({"routers.json": text, "app/apis/a/__init__.py": plain("a")})
    with pytest.raises(RouterDiscoveryError, match=message):
        build(project)
