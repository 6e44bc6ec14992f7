"""FastAPI dependencies: ``AuthorizedUser``, ``get_current_user``, ``get_optional_user``, ``require_roles``.

>>> from fastapi import FastAPI
>>> from tausestack.auth import AuthorizedUser
>>> app = FastAPI()
>>> @app.get("/me")
... def me(user: AuthorizedUser) -> dict[str, str]:
...     return {"uid": user.uid}
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, WebSocketException, status
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.security.base import SecurityBase
from starlette.requests import HTTPConnection

from tausestack.auth._default import get_backend
from tausestack.auth._extract import extract_token
from tausestack.auth._user import User
from tausestack.core import AuthenticationError, BackendUnavailableError, InvalidInputError, get_logger

__all__ = [
    "BearerToken",
    "bearer_token",
    "get_current_user",
    "get_optional_user",
    "require_roles",
    "AuthorizedUser",
    "OptionalUser",
]

_log = get_logger("auth")

_MISSING = "Not authenticated"
_INVALID = "Invalid or expired credentials"


class BearerToken(SecurityBase):
    """The token a request carries (see :func:`extract_token`); documents Bearer auth in OpenAPI."""

    def __init__(self, *, scheme_name: str = "BearerAuth") -> None:
        self.model = HTTPBearerModel(bearerFormat="JWT")
        self.scheme_name = scheme_name

    async def __call__(self, connection: HTTPConnection) -> str | None:
        return extract_token(connection)


bearer_token = BearerToken()


def _unauthorized(connection: HTTPConnection, detail: str, *, invalid: bool) -> Exception:
    if connection.scope.get("type") == "websocket":
        return WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=detail)
    challenge = 'Bearer error="invalid_token"' if invalid else "Bearer"
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": challenge}
    )


def _unavailable(connection: HTTPConnection) -> Exception:
    detail = "Authentication service unavailable; try again later"
    if connection.scope.get("type") == "websocket":
        return WebSocketException(code=status.WS_1011_INTERNAL_ERROR, reason=detail)
    return HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=detail)


def _state_user(connection: HTTPConnection) -> User | None:
    state = connection.scope.get("state")
    if state is None:
        return None
    user = state.get("user") if isinstance(state, dict) else getattr(state, "user", None)
    return user if isinstance(user, User) else None


def _remember(connection: HTTPConnection, user: User) -> None:
    connection.state.user = user


async def get_current_user(
    connection: HTTPConnection, token: Annotated[str | None, Depends(bearer_token)]
) -> User:
    """The authenticated user; HTTP 401 with ``WWW-Authenticate: Bearer`` when there is none.

    A backend that cannot be reached (the JWKS endpoint or user database is down) gives 503.

    Returns ``request.state.user`` when a middleware (tausestack.web) already authenticated the
    request, so a token is verified once per request. Otherwise the token from
    :func:`extract_token` is verified by the default backend (:func:`get_backend`). On a
    WebSocket the refusal is a close with code 1008 (policy violation).
    """
    user = _state_user(connection)
    if user is not None:
        return user
    if token is None:
        raise _unauthorized(connection, _MISSING, invalid=False)
    try:
        user = await get_backend().averify_token(token)
    except AuthenticationError as exc:
        _log.debug("token refused: %s", exc)
        raise _unauthorized(connection, _INVALID, invalid=True) from None
    except BackendUnavailableError as exc:
        _log.warning("cannot verify a token: %s", exc)
        raise _unavailable(connection) from None
    _remember(connection, user)
    return user


async def get_optional_user(
    connection: HTTPConnection, token: Annotated[str | None, Depends(bearer_token)]
) -> User | None:
    """The authenticated user, or ``None`` when no valid token was sent (never a 401).

    Use it on public routes that personalise their answer; a stale or forged token counts as
    anonymous. Use :func:`get_current_user` where a bad token must be refused.
    """
    user = _state_user(connection)
    if user is not None or token is None:
        return user
    try:
        user = await get_backend().averify_token(token)
    except AuthenticationError as exc:
        _log.debug("optional token ignored: %s", exc)
        return None
    _remember(connection, user)
    return user


def require_roles(*roles: str) -> Callable[..., Awaitable[User]]:
    """A dependency that returns the user when they have *every* role in ``roles``.

    401 without valid credentials, 403 when a role is missing (WebSocket: close 1008).
    The dependency carries the roles as ``__tausestack_roles__`` for route tables.

    >>> from fastapi import APIRouter, Depends
    >>> router = APIRouter()
    >>> @router.delete("/items/{item_id}", dependencies=[Depends(require_roles("admin"))])
    ... def delete_item(item_id: str) -> None: ...
    """
    if not roles or not all(isinstance(role, str) and role for role in roles):
        raise InvalidInputError("require_roles() needs at least one non-empty role name")
    needed = tuple(roles)

    async def dependency(
        connection: HTTPConnection, user: Annotated[User, Depends(get_current_user)]
    ) -> User:
        if user.has_roles(*needed):
            return user
        missing = ", ".join(role for role in needed if role not in user.roles)
        detail = f"Missing required role(s): {missing}"
        if connection.scope.get("type") == "websocket":
            raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=detail)
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=detail)

    dependency.__name__ = f"require_roles_{'_'.join(needed)}"
    marker: Any = dependency
    marker.__tausestack_roles__ = needed
    return dependency


AuthorizedUser = Annotated[User, Depends(get_current_user)]
"""A route parameter typed ``AuthorizedUser`` is the authenticated user (401 otherwise), as in Databutton."""

OptionalUser = Annotated[User | None, Depends(get_optional_user)]
"""A route parameter typed ``OptionalUser`` is the user, or ``None`` when anonymous."""
