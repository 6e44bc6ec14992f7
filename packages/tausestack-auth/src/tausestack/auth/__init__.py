"""tausestack.auth: one auth layer for FastAPI, on local users, Firebase or Supabase.

>>> from fastapi import FastAPI
>>> from tausestack.auth import AuthorizedUser
>>> app = FastAPI()
>>> @app.get("/me")
... def me(user: AuthorizedUser) -> dict[str, str | None]:
...     return {"uid": user.uid, "email": user.email}

The backend comes from ``TAUSESTACK_AUTH_URL`` (default ``local://``: users in SQLite, tokens
signed with a key generated for this project). FastAPI and the backends are imported on first
use of a name that needs them, so ``import tausestack.auth`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tausestack.auth._base import AbstractAuthBackend, AuthBackend
from tausestack.auth._default import (
    aclose,
    ahealth,
    close,
    configure,
    create_backend,
    describe,
    get_backend,
    health,
    registry,
    reset,
)
from tausestack.auth._errors import InvalidClaimsError, InvalidTokenError, UserExistsError, UserNotFoundError
from tausestack.auth._extract import WEBSOCKET_PROTOCOL_PREFIX, extract_token
from tausestack.auth._settings import AuthSettings
from tausestack.auth._user import TokenPair, User
from tausestack.auth._version import __version__
from tausestack.core import lazy_exports

if TYPE_CHECKING:
    from tausestack.auth._fastapi import (
        AuthorizedUser,
        BearerToken,
        OptionalUser,
        bearer_token,
        get_current_user,
        get_optional_user,
        require_roles,
    )

__all__ = [
    "__version__",
    # model
    "User",
    "TokenPair",
    # backends
    "AuthBackend",
    "AbstractAuthBackend",
    "AuthSettings",
    # module default
    "get_backend",
    "configure",
    "reset",
    "health",
    "ahealth",
    "close",
    "aclose",
    "describe",
    "create_backend",
    "registry",
    # FastAPI
    "extract_token",
    "WEBSOCKET_PROTOCOL_PREFIX",
    "get_current_user",
    "get_optional_user",
    "require_roles",
    "AuthorizedUser",
    "OptionalUser",
    "BearerToken",
    "bearer_token",
    # errors
    "InvalidTokenError",
    "UserNotFoundError",
    "UserExistsError",
    "InvalidClaimsError",
]

_LAZY = {
    "get_current_user": "tausestack.auth._fastapi",
    "get_optional_user": "tausestack.auth._fastapi",
    "require_roles": "tausestack.auth._fastapi",
    "AuthorizedUser": "tausestack.auth._fastapi",
    "OptionalUser": "tausestack.auth._fastapi",
    "BearerToken": "tausestack.auth._fastapi",
    "bearer_token": "tausestack.auth._fastapi",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
