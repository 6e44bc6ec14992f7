"""The central auth layer of roadmap task 1.3: a pure ASGI middleware and the enforcement dependency.

The middleware verifies the token (once per request) and stores ``request.state.user``
(``None`` when anonymous). Enforcement is an app-wide dependency, so it runs for every FastAPI
route and WebSocket after routing, with the route's declared rule: public, authenticated, or
authenticated with roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, WebSocketException, status
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from tausestack.core import AuthenticationError, BackendUnavailableError, get_logger
from tausestack.web._declarations import AuthRequirement
from tausestack.web._state import WebState

if TYPE_CHECKING:
    from tausestack.auth import User

__all__ = ["AuthenticationMiddleware", "make_enforcer", "AUTH_ERROR_KEY"]

_log = get_logger("web.auth")

#: ``request.state`` key holding why a sent token was not accepted (``invalid`` or ``unavailable``).
AUTH_ERROR_KEY = "auth_error"


class AuthenticationMiddleware:
    """Pure ASGI middleware: verify the bearer token into ``request.state.user``.

    The token is found by :func:`tausestack.auth.extract_token` (header, cookie, or the
    WebSocket subprotocol) and verified by the auth backend's ``averify_token``. A missing or
    bad token leaves ``user = None`` (with ``auth_error`` set); refusing is the route's job.
    """

    def __init__(self, app: ASGIApp, *, state: WebState) -> None:
        self.app = app
        self.state = state
        self._backend = state.backend
        from tausestack.auth import extract_token

        self._extract = extract_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        request_state: dict[str, Any] | None = scope.get("state")
        if request_state is None:
            request_state = scope["state"] = {}
        user = None
        token = _bearer_header(scope) or self._extract(HTTPConnection(scope))
        if token:
            try:
                # A token seen before is answered from the backend's verified-token cache
                # without suspending: no thread hop on the hot path.
                user = await self._backend().averify_token(token)
            except AuthenticationError as exc:
                request_state[AUTH_ERROR_KEY] = "invalid"
                _log.debug("token refused: %s", exc)
            except BackendUnavailableError as exc:
                request_state[AUTH_ERROR_KEY] = "unavailable"
                _log.warning("auth backend unavailable: %s", exc)
        request_state["user"] = user
        await self.app(scope, receive, send)


def _bearer_header(scope: Scope) -> str | None:
    """The ``Authorization: Bearer`` token read straight from the raw headers (the common case).

    The same rule as :func:`tausestack.auth.extract_token`'s first step; anything else (cookie,
    WebSocket subprotocol) goes through ``extract_token`` itself.
    """
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, credentials = value.partition(b" ")
            if scheme.lower() == b"bearer":
                token = credentials.strip()
                return token.decode("latin-1") if token else None
            return None
    return None


def _refuse(scope: Scope, code: int, detail: str, headers: dict[str, str] | None = None) -> Exception:
    if scope["type"] == "websocket":
        return WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=detail)
    return HTTPException(status_code=code, detail=detail, headers=headers)


def make_enforcer(state: WebState) -> Any:
    """The app-wide dependency that applies each route's auth rule (401, 403 or 503).

    The rule of a route is resolved once per endpoint (at its first request, so routes added
    after ``create_app`` are covered) and cached; a request whose user the middleware already
    verified costs a dictionary look-up and two comparisons.
    """
    requirement = state.requirement

    async def enforce_route_auth(connection: HTTPConnection) -> None:
        scope = connection.scope
        rule = requirement(scope.get("endpoint"))
        if rule.public:
            return
        request_state = scope.get("state") or {}
        user = request_state.get("user")
        if user is not None and not rule.roles:
            return
        _deny(scope, rule, user, request_state)

    return enforce_route_auth


def _deny(scope: Scope, rule: AuthRequirement, user: User | None, request_state: dict[str, Any]) -> None:
    """Raise the refusal for a protected route: no user (401/503) or a missing role (403)."""
    if user is None:
        reason = request_state.get(AUTH_ERROR_KEY)
        if reason == "unavailable":
            raise _refuse(scope, status.HTTP_503_SERVICE_UNAVAILABLE, "Authentication is unavailable")
        if reason == "invalid":
            raise _refuse(
                scope,
                status.HTTP_401_UNAUTHORIZED,
                "Invalid or expired credentials",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        raise _refuse(
            scope, status.HTTP_401_UNAUTHORIZED, "Not authenticated", {"WWW-Authenticate": "Bearer"}
        )
    if not user.has_roles(*rule.roles):
        missing = ", ".join(role for role in rule.roles if role not in user.roles)
        raise _refuse(scope, status.HTTP_403_FORBIDDEN, f"Missing required role(s): {missing}")
