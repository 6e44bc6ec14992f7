"""Test helpers for TauseStack apps: sign a user in on the local auth backend, serve an app for real.

>>> from tausestack.web import create_app
>>> from tausestack.web.testing import authenticated_client
>>> app = create_app()                                                # doctest: +SKIP
>>> client = authenticated_client(app, "ada@example.com", roles=["admin"])  # doctest: +SKIP
>>> client.get("/api/items").status_code                               # doctest: +SKIP
200
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from tausestack.core import ConfigurationError

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    from tausestack.auth import AuthBackend, TokenPair

__all__ = ["sign_in", "asign_in", "auth_headers", "authenticated_client", "LiveServer", "serve"]

DEFAULT_EMAIL = "user@example.com"


def _backend(app: FastAPI | None, backend: AuthBackend | None) -> Any:
    if backend is None and app is not None:
        from tausestack.web._state import web_state

        state = web_state(app)
        if state is not None:
            backend = state.backend()
    if backend is None:
        from tausestack.auth import get_backend

        backend = get_backend()
    if not callable(getattr(backend, "sign_in", None)):
        raise ConfigurationError(
            f"signing a user in needs the local auth backend (TAUSESTACK_AUTH_URL=local://), not {backend!r}"
        )
    return backend


def sign_in(
    email: str = DEFAULT_EMAIL,
    *,
    roles: Sequence[str] = (),
    password: str | None = None,
    backend: AuthBackend | None = None,
    app: FastAPI | None = None,
    **profile: Any,
) -> TokenPair:
    """Create (or update) a user on the local backend with ``roles`` and sign them in.

    The backend is ``backend``, else the one ``app`` uses, else tausestack.auth's default; it must
    be the local backend (:class:`~tausestack.core.ConfigurationError` otherwise). A random
    password is set when none is given.

    >>> tokens = sign_in("ada@example.com", roles=["admin"])  # doctest: +SKIP
    >>> tokens.access_token                                   # doctest: +SKIP
    'eyJ...'
    """
    from tausestack.auth import UserNotFoundError

    local = _backend(app, backend)
    password = password or secrets.token_urlsafe(16)
    try:
        user = local.get_user_by_email(email)
    except UserNotFoundError:
        user = local.create_user(email, password, **profile)
    else:
        user = local.update_user(user.uid, password=password, **profile)
    if list(user.roles) != list(roles):
        local.set_roles(user.uid, list(roles))
    pair: TokenPair = local.sign_in(email, password)
    return pair


async def asign_in(
    email: str = DEFAULT_EMAIL,
    *,
    roles: Sequence[str] = (),
    password: str | None = None,
    backend: AuthBackend | None = None,
    app: FastAPI | None = None,
    **profile: Any,
) -> TokenPair:
    """Async twin of :func:`sign_in` (the blocking work runs in a worker thread)."""
    from tausestack.core import run_sync

    return await run_sync(sign_in, email, roles=roles, password=password, backend=backend, app=app, **profile)


def auth_headers(token: str | TokenPair) -> dict[str, str]:
    """``{"Authorization": "Bearer <token>"}`` for a token or a token pair."""
    value = token if isinstance(token, str) else token.access_token
    return {"Authorization": f"Bearer {value}"}


def authenticated_client(
    app: FastAPI,
    email: str = DEFAULT_EMAIL,
    *,
    roles: Sequence[str] = (),
    backend: AuthBackend | None = None,
    **client_options: Any,
) -> TestClient:
    """A ``TestClient`` for ``app`` that sends a freshly signed-in user's token on every request."""
    from starlette.testclient import TestClient

    pair = sign_in(email, roles=roles, backend=backend, app=app)
    headers = {**client_options.pop("headers", {}), **auth_headers(pair)}
    return TestClient(app, headers=headers, **client_options)


class LiveServer:
    """Serve an ASGI app with uvicorn on a free local port, in a background thread.

    Real HTTP (and WebSockets) with the app's lifespan, for tests that must cross the wire::

        with LiveServer(app) as server:
            httpx.get(f"{server.url}/healthz")
    """

    def __init__(
        self, app: Any, *, host: str = "127.0.0.1", port: int | None = None, **uvicorn_options: Any
    ) -> None:
        import uvicorn

        from tausestack.core.testing import free_port

        self.host = host
        self.port = port or free_port(host)
        options: dict[str, Any] = {"log_level": "warning", "access_log": False, "lifespan": "on"}
        options.update(uvicorn_options)
        self._server = uvicorn.Server(uvicorn.Config(app, host=host, port=self.port, **options))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> LiveServer:
        """Start serving; raise RuntimeError when the server does not come up in ``timeout`` s."""
        self._thread = threading.Thread(target=self._server.run, name=f"uvicorn:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the server stopped during start-up (see the log for the error)")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not start within {timeout:g}s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop serving and wait for the lifespan shutdown to finish."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextlib.contextmanager
def serve(app: Any, **options: Any) -> Iterator[str]:
    """``with serve(app) as url:`` runs :class:`LiveServer` and yields its base URL."""
    with LiveServer(app, **options) as server:
        yield server.url
