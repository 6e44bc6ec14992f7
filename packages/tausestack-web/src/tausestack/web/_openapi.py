"""The OpenAPI schema shows the bearer scheme on protected operations only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from tausestack.web._routes import iter_routes
from tausestack.web._state import WebState

__all__ = ["SCHEME_NAME", "install_openapi"]

#: The security scheme name (the same one tausestack.auth's ``AuthorizedUser`` documents).
SCHEME_NAME = "BearerAuth"


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
    },
    "required": ["type", "title", "status"],
}


def install_openapi(app: FastAPI, state: WebState) -> None:
    """Wrap ``app.openapi`` so protected operations carry ``security: [{BearerAuth: []}]``.

    Public operations get no security requirement; operations with roles also document 403.
    """
    original: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        paths: dict[str, Any] = schema.get("paths", {})
        protected = False
        for view in iter_routes(app.router.routes):
            if view.kind != "http" or not view.include_in_schema or not view.guarded:
                continue
            operations = paths.get(view.path)
            if not operations:
                continue
            rule = state.requirement_for_view(view)
            for method in view.methods:
                operation = operations.get(method.lower())
                if operation is None:
                    continue
                if rule.public:
                    continue
                protected = True
                operation["security"] = [{SCHEME_NAME: []}]
                responses = operation.setdefault("responses", {})
                responses.setdefault("401", _problem("Not authenticated, or the token is invalid"))
                if rule.roles:
                    responses.setdefault(
                        "403", _problem(f"Missing a required role ({', '.join(rule.roles)})")
                    )
        components = schema.setdefault("components", {})
        if protected:
            schemes = components.setdefault("securitySchemes", {})
            schemes.setdefault(SCHEME_NAME, {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
            components.setdefault("schemas", {}).setdefault("Problem", _PROBLEM_SCHEMA)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
