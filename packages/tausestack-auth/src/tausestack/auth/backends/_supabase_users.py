"""Supabase (GoTrue) users as TauseStack users, and GoTrue errors as TauseStack errors."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

from tausestack.auth._errors import InvalidTokenError, UserExistsError, UserNotFoundError
from tausestack.auth._user import User
from tausestack.core import AccessDeniedError, BackendUnavailableError, InvalidInputError, redact

__all__ = [
    "REVOKED_AT",
    "SYSTEM_METADATA",
    "BANNED_FOREVER",
    "user_from_claims",
    "user_from_admin",
    "call_admin",
]

REVOKED_AT = "tausestack_revoked_at"
SYSTEM_METADATA = frozenset({"provider", "providers", "roles", REVOKED_AT})
_REGISTERED = frozenset({"iss", "aud", "exp", "iat", "nbf", "sub", "jti", "email", "phone"})
BANNED_FOREVER = "876000h"


def user_from_claims(payload: dict[str, Any]) -> User:
    """A :class:`User` from a verified Supabase access token's claims."""
    app: dict[str, Any] = payload.get("app_metadata") or {}
    meta: dict[str, Any] = payload.get("user_metadata") or {}
    if not isinstance(app, dict) or not isinstance(meta, dict):
        raise InvalidTokenError("token metadata claims are not objects")
    roles = app.get("roles", [])
    try:
        return _claims_user(payload, app, meta, roles)
    except ValueError:  # pydantic's ValidationError: a claim of the wrong type
        raise InvalidTokenError("token claims do not describe a user") from None


def _claims_user(payload: dict[str, Any], app: dict[str, Any], meta: dict[str, Any], roles: Any) -> User:
    return User(
        uid=payload["sub"],
        email=payload.get("email") or None,
        email_verified=bool(meta.get("email_verified", False)),
        name=meta.get("full_name") or meta.get("name"),
        picture=meta.get("avatar_url") or meta.get("picture"),
        roles=[role for role in roles if isinstance(role, str)] if isinstance(roles, list) else [],
        claims={name: value for name, value in payload.items() if name not in _REGISTERED},
        provider=app.get("provider"),
    )


def _banned(until: Any) -> bool:
    """Whether GoTrue's ``banned_until`` (ISO text or datetime) is in the future."""
    if until is None or until == "":
        return False
    if isinstance(until, str):
        try:
            until = datetime.fromisoformat(until.replace("Z", "+00:00"))
        except ValueError:
            return True  # unreadable: refuse rather than let a banned user in
    if isinstance(until, datetime):
        moment = until if until.tzinfo is not None else until.replace(tzinfo=timezone.utc)
        return moment.timestamp() > time.time()
    return True


def user_from_admin(user: Any) -> User:
    app = dict(user.app_metadata or {})
    meta = dict(user.user_metadata or {})
    disabled = _banned(getattr(user, "banned_until", None))
    roles = app.get("roles", [])
    return User(
        uid=user.id,
        email=user.email or None,
        email_verified=user.email_confirmed_at is not None,
        name=meta.get("full_name") or meta.get("name"),
        picture=meta.get("avatar_url") or meta.get("picture"),
        roles=[role for role in roles if isinstance(role, str)] if isinstance(roles, list) else [],
        claims={name: value for name, value in app.items() if name not in SYSTEM_METADATA},
        provider=app.get("provider"),
        disabled=disabled,
    )


def call_admin(admin: Any, url: str, method: str, *args: Any) -> Any:
    """Call ``admin.<method>(*args)``, translating GoTrue's errors into TauseStack's."""
    from supabase_auth.errors import AuthApiError, AuthError

    try:
        return getattr(admin, method)(*args)
    except AuthApiError as exc:
        status, code, text = exc.status, str(getattr(exc, "code", "") or ""), redact(str(exc))
        if status == 404 or code == "user_not_found":
            raise UserNotFoundError(f"no Supabase user matches ({text})") from None
        if status == 422 and ("exists" in code or "already" in text.lower()):
            raise UserExistsError(f"Supabase refused a duplicate user ({text})") from None
        if status in (401, 403):
            raise AccessDeniedError(
                f"Supabase refused the admin call; check the service key ({text})"
            ) from None
        if status >= 500:
            raise BackendUnavailableError(f"Supabase Auth failed ({status}: {text})") from None
        raise InvalidInputError(f"Supabase refused the call ({status}: {text})") from None
    except ValueError as exc:  # supabase_auth refuses a uid that is not a UUID before calling
        if "uuid" in str(exc).lower():
            raise UserNotFoundError("no Supabase user has this id (not a UUID)") from None
        raise InvalidInputError(f"Supabase refused the call: {redact(str(exc))}") from None
    except AuthError as exc:
        raise BackendUnavailableError(f"Supabase Auth call failed: {redact(str(exc))}") from None
    except OSError as exc:
        raise BackendUnavailableError(f"cannot reach Supabase Auth at {url}: {type(exc).__name__}") from None
