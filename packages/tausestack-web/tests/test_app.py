"""The app factory: settings, health, problem details, request IDs, logs, CORS and the lifespan."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from tausestack.core import ConflictError, InvalidInputError, KeyNotFoundError
from tausestack.web import WebSettings, configure_logging, create_app, current_request_id, public


class Body(BaseModel):
    count: int


def make_app(auth_backend: Any, **settings: Any) -> FastAPI:
    app = create_app(WebSettings(**settings), auth_backend=auth_backend)

    @app.get("/boom")
    @public
    def boom() -> None:
        raise RuntimeError("database password=hunter2 exploded")

    @app.get("/missing")
    @public
    def missing() -> None:
        raise KeyNotFoundError("no item 'x'")

    @app.get("/conflict")
    @public
    def conflict() -> None:
        raise ConflictError("already there")

    @app.get("/invalid")
    @public
    def invalid() -> None:
        raise InvalidInputError("bad key")

    @app.post("/body")
    @public
    def body(data: Body) -> dict[str, int]:
        return {"count": data.count}

    @app.get("/request-id")
    @public
    async def request_id() -> dict[str, str | None]:
        return {"id": current_request_id()}

    return app


def test_healthz_is_public_and_cheap(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_paths_are_configurable(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend, health_path="/live", ready_path="", docs=False))
    assert client.get("/live").status_code == 200
    assert client.get("/readyz").status_code == 404
    assert client.get("/openapi.json").status_code == 404


def test_unexpected_errors_never_show_a_traceback_in_production(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend, environment="production", debug=True))
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["detail"] == "An unexpected error occurred"
    assert "traceback" not in body
    assert "hunter2" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]


def test_debug_outside_production_shows_the_redacted_error(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend, debug=True))
    body = client.get("/boom").json()
    assert body["exception"] == "RuntimeError"
    assert "Traceback" in body["traceback"]
    assert "hunter2" not in json.dumps(body)


def test_tausestack_errors_map_to_statuses(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend))
    assert client.get("/missing").status_code == 404
    assert client.get("/conflict").json()["status"] == 409
    response = client.get("/invalid")
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "bad key",
        "instance": "/invalid",
        "request_id": response.headers["x-request-id"],
    }


def test_validation_errors_are_problems_without_the_input(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend))
    response = client.post("/body", json={"count": "secret-value-xyz"})
    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Unprocessable Content"
    assert body["errors"][0]["loc"] == ["body", "count"]
    assert "secret-value-xyz" not in response.text


def test_request_ids_are_kept_or_generated(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend))
    response = client.get("/request-id", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"
    assert response.json() == {"id": "trace-123"}
    bad = client.get("/request-id", headers={"X-Request-ID": "evil\tvalue"})
    assert bad.headers["x-request-id"] != "evil\tvalue"
    assert len(bad.headers["x-request-id"]) == 32
    assert bad.json()["id"] == bad.headers["x-request-id"]
    assert client.get("/nowhere").headers["x-request-id"]


def test_access_log_is_json_with_request_id_and_no_token(auth_backend: Any) -> None:
    stream = io.StringIO()
    app = make_app(auth_backend, configure_logging=False)
    handler = configure_logging(log_format="json", level="INFO", stream=stream)
    try:
        client = TestClient(app)
        client.get("/healthz?token=abc", headers={"X-Request-ID": "log-1"})
        client.get("/api/x", headers={"Authorization": "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig"})
    finally:
        logging.getLogger("tausestack").removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "tausestack.web.access"]
    assert access[0]["request_id"] == "log-1"
    assert access[0]["http"] == {**access[0]["http"], "method": "GET", "path": "/healthz", "status": 200}
    assert "eyJhbGci" not in stream.getvalue()


def test_text_logging_is_available(auth_backend: Any) -> None:
    stream = io.StringIO()
    handler = configure_logging(log_format="text", level="INFO", stream=stream)
    try:
        logging.getLogger("tausestack.test").info("hello password=hunter2")
    finally:
        logging.getLogger("tausestack").removeHandler(handler)
    assert "hello password=***" in stream.getvalue()


def test_cors_from_settings(auth_backend: Any) -> None:
    client = TestClient(make_app(auth_backend, cors_origins="https://app.example.com, https://b.example.com"))
    preflight = client.options(
        "/api/anything",
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example.com"
    denied = client.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in denied.headers
    allowed = client.get("/healthz", headers={"Origin": "https://b.example.com"})
    assert allowed.headers["access-control-allow-origin"] == "https://b.example.com"
    assert "x-request-id" in allowed.headers["access-control-expose-headers"].lower()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_WEB_API_PREFIX", "/routes")
    monkeypatch.setenv("TAUSESTACK_WEB_CORS_ORIGINS", '["https://a.example.com"]')
    monkeypatch.setenv("TAUSESTACK_WEB_READINESS_CHECKS", "cache,database")
    settings = WebSettings()
    assert settings.api_prefix == "/routes"
    assert settings.cors_origins == ["https://a.example.com"]
    assert settings.readiness_checks == ["cache", "database"]
    assert WebSettings.variable_name("api_prefix") == "TAUSESTACK_WEB_API_PREFIX"


def test_settings_read_dotenv_and_secret_references(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from pathlib import Path

    Path(".env").write_text("TAUSESTACK_WEB_TITLE=secret:APP_TITLE\n")
    monkeypatch.setenv("APP_TITLE", "Shop API")
    assert WebSettings().title == "Shop API"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("api_prefix", "api"),
        ("api_prefix", "/api/"),
        ("request_id_header", "bad header"),
        ("readiness_timeout", 0),
    ],
)
def test_bad_settings_are_refused(field: str, value: Any) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        WebSettings(**{field: value})


def test_lifespan_runs_the_apps_own_and_closes_sdk_clients(
    auth_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tausestack import database

    events: list[str] = []
    original = database.aclose

    async def spy() -> None:
        events.append("database closed")
        await original()

    monkeypatch.setattr(database, "aclose", spy)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, str]]:
        events.append("app start")
        yield {"greeting": "hi"}
        events.append("app stop")

    app = create_app(auth_backend=auth_backend, lifespan=lifespan)

    @app.get("/greeting")
    @public
    async def greeting(request: Any = None) -> dict[str, str]:
        return {}

    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert events == ["app start"]
    assert events == ["app start", "app stop", "database closed"]


def test_start_up_refuses_duplicate_routes_added_later(auth_backend: Any) -> None:
    from tausestack.web import DuplicateRouteError

    app = create_app(auth_backend=auth_backend)

    @app.get("/healthz")
    def shadow() -> None:
        return None

    with pytest.raises(DuplicateRouteError, match="GET /healthz"), TestClient(app):
        pass
