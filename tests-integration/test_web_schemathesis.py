"""Schemathesis against the OpenAPI schema of an example TauseStack app: no input produces a 5xx.

The example app has the shapes real apps have: JSON bodies with constraints, path and query
parameters, a public router, protected routes, a role-guarded route, storage and cache calls.
Every operation is called with a signed-in admin's token (so protected code runs) and the
``not_a_server_error`` check must hold for every generated case.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tausestack.auth.backends.local import LocalAuthBackend
from tausestack.web import create_app
from tausestack.web.testing import auth_headers, sign_in

EXAMPLE = {
    "app/apis/items/__init__.py": """
        from typing import Literal

        from fastapi import HTTPException, Query
        from pydantic import BaseModel, Field

        from tausestack import cache, storage
        from tausestack.auth import AuthorizedUser
        from tausestack.core import InvalidKeyError
        from tausestack.web import router as make_router

        router = make_router(tags=["items"])


        class Item(BaseModel):
            name: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9-]+$")
            price: float = Field(ge=0, le=1e6)
            tags: list[str] = Field(default_factory=list, max_length=5)
            kind: Literal["food", "tool"] = "food"


        @router.put("/items/{name}")
        async def put_item(name: str, item: Item, user: AuthorizedUser) -> Item:
            try:
                await storage.json.aput(f"items/{name}", item.model_dump())
            except InvalidKeyError as exc:
                raise HTTPException(400, str(exc)) from exc
            await cache.adelete(f"item:{name}")
            return item


        @router.get("/items/{name}")
        async def get_item(name: str) -> Item:
            try:
                data = await storage.json.aget(f"items/{name}", default=None)
            except InvalidKeyError as exc:
                raise HTTPException(400, str(exc)) from exc
            if data is None:
                raise HTTPException(404, "no such item")
            return Item(**data)


        @router.get("/items")
        async def list_items(limit: int = Query(10, ge=1, le=100), prefix: str = "") -> list[str]:
            return [entry.name for entry in await storage.json.alist("items/")][:limit]


        @router.delete("/items/{name}", roles=["admin"])
        async def delete_item(name: str) -> dict[str, bool]:
            try:
                return {"deleted": await storage.json.adelete(f"items/{name}")}
            except InvalidKeyError as exc:
                raise HTTPException(400, str(exc)) from exc
    """,
    "app/routes/public.py": """
        from pydantic import BaseModel, Field

        from tausestack.web import router as make_router

        router = make_router(tags=["public"], auth_required=False)


        class Quote(BaseModel):
            quantity: int = Field(ge=1, le=1000)
            unit_price: float = Field(gt=0, le=1e4)


        @router.post("/quote")
        def quote(body: Quote) -> dict[str, float]:
            return {"total": round(body.quantity * body.unit_price, 2)}


        @router.get("/echo/{word}")
        def echo(word: str, times: int = 1) -> dict[str, str]:
            if not 1 <= times <= 10:
                from tausestack.core import InvalidInputError

                raise InvalidInputError("times must be between 1 and 10")
            return {"echo": " ".join([word] * times)}
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
def example_app(tmp_path: Path) -> Iterator[Any]:
    project = tmp_path / "example"
    for relative, text in EXAMPLE.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    backend = LocalAuthBackend(
        directory=tmp_path / "auth",
        algorithm="ES256",
        password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    from tausestack import cache, storage

    storage.configure("memory://")
    cache.configure("memory://")
    try:
        app = create_app(project_dir=project, auth_backend=backend)
        app.state.test_headers = auth_headers(sign_in("admin@example.com", roles=["admin"], backend=backend))
        yield app
    finally:
        storage.reset()
        cache.reset()
        backend.close()


def test_no_input_produces_a_server_error(example_app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", example_app)
    headers = example_app.state.test_headers
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        run()
