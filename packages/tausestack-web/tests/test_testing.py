"""tausestack.web.testing: sign-in on the local backend, authenticated clients, a live uvicorn server."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tausestack.core import ConfigurationError
from tausestack.web import create_app
from tausestack.web.testing import LiveServer, asign_in, auth_headers, authenticated_client, serve, sign_in


def test_sign_in_creates_then_updates_the_user(auth_backend: Any) -> None:
    first = sign_in("carol@example.com", roles=["admin"], backend=auth_backend, name="Carol")
    user = auth_backend.verify_token(first.access_token)
    assert user.email == "carol@example.com"
    assert user.roles == ["admin"]
    assert user.name == "Carol"
    second = sign_in("carol@example.com", backend=auth_backend)
    assert auth_backend.verify_token(second.access_token).roles == []


@pytest.mark.anyio
async def test_asign_in(auth_backend: Any) -> None:
    pair = await asign_in("dave@example.com", backend=auth_backend)
    assert (await auth_backend.averify_token(pair.access_token)).email == "dave@example.com"


def test_sign_in_uses_the_apps_backend_and_refuses_others(auth_backend: Any, tmp_path: Any) -> None:
    app = create_app(project_dir=tmp_path, auth_backend=auth_backend)
    client = authenticated_client(app, "erin@example.com", roles=["ops"])

    @app.get("/who")
    def who(request: Any = None) -> dict[str, str]:
        return {}

    assert client.get("/who").status_code == 200
    assert auth_headers("abc") == {"Authorization": "Bearer abc"}

    class NotLocal:
        def __repr__(self) -> str:
            return "NotLocal()"

    with pytest.raises(ConfigurationError, match="local auth backend"):
        sign_in(backend=NotLocal())  # type: ignore[arg-type]


def test_live_server_serves_over_real_http_with_the_lifespan(auth_backend: Any, tmp_path: Any) -> None:
    app = create_app(project_dir=tmp_path, auth_backend=auth_backend)
    with serve(app) as url:
        assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
    server = LiveServer(app)
    with server:
        assert httpx.get(f"{server.url}/nowhere").status_code == 404
