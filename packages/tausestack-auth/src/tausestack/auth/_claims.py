"""Validation of custom claims, roles and profile fields, before any call is made."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tausestack.auth._errors import InvalidClaimsError
from tausestack.core import InvalidInputError

__all__ = [
    "MAX_CLAIMS_BYTES",
    "RESERVED_CLAIMS",
    "validate_claims",
    "validate_roles",
    "normalize_email",
    "validate_uid",
    "validate_password",
]

#: Firebase's limit on the serialized custom claims, applied by every backend.
MAX_CLAIMS_BYTES = 1000

#: Claim names a custom claim may not use: the JWT/OIDC registered names, Firebase's reserved
#: names, and the ones TauseStack sets itself (``roles`` is set through ``set_roles``).
RESERVED_CLAIMS = frozenset(
    {
        "acr", "amr", "at_hash", "aud", "auth_time", "azp", "cnf", "c_hash", "exp", "firebase",
        "iat", "iss", "jti", "nbf", "nonce", "sub", "uid", "user_id", "email", "email_verified",
        "name", "picture", "phone_number", "roles", "ver", "typ", "role", "session_id", "aal",
        "app_metadata", "user_metadata", "is_anonymous",
    }
)  # fmt: skip

_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UID = re.compile(r"[A-Za-z0-9._:@+-]{1,128}")
_MAX_PASSWORD = 1024


def validate_claims(claims: Mapping[str, Any], *, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``claims`` as a plain dict after checking names, JSON-ability and the 1000-byte limit.

    ``extra`` (for example ``{"roles": [...]}``) counts towards the size limit without being
    checked against the reserved names. Raises :class:`InvalidClaimsError` (a ``ValueError``).

    >>> validate_claims({"plan": "pro"})
    {'plan': 'pro'}
    """
    if not isinstance(claims, Mapping):
        raise InvalidClaimsError("custom claims must be a dict of JSON values")
    result = dict(claims)
    for name in result:
        if not isinstance(name, str) or not name:
            raise InvalidClaimsError("custom claim names must be non-empty strings")
        if name in RESERVED_CLAIMS:
            hint = " (use set_roles)" if name in ("roles", "role") else ""
            raise InvalidClaimsError(f"custom claim {name!r} is a reserved name{hint}")
    try:
        text = json.dumps({**result, **(extra or {})}, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidClaimsError(
            "custom claims must be JSON values (str, number, bool, None, list, dict)"
        ) from None
    size = len(text.encode("utf-8"))
    if size > MAX_CLAIMS_BYTES:
        raise InvalidClaimsError(f"custom claims take {size} bytes as JSON; the limit is {MAX_CLAIMS_BYTES}")
    return result


def validate_roles(roles: Iterable[str]) -> list[str]:
    """Roles as a list of unique non-empty strings (order kept)."""
    if isinstance(roles, str) or not isinstance(roles, Iterable):
        raise InvalidInputError("roles must be a list of strings, e.g. ['admin']")
    result: list[str] = []
    for role in roles:
        if not isinstance(role, str) or not role.strip() or len(role) > 64 or _CONTROL.search(role):
            raise InvalidInputError(
                "each role must be a non-empty string of at most 64 characters, without control characters"
            )
        if role not in result:
            result.append(role)
    return result


def normalize_email(email: object) -> str:
    """The e-mail address trimmed and lower-cased; :class:`InvalidInputError` when malformed."""
    if not isinstance(email, str) or len(email) > 320 or not _EMAIL.fullmatch(email.strip()):
        raise InvalidInputError("e-mail address is malformed (expected name@domain)")
    return email.strip().lower()


def validate_profile_text(value: object, field: str, *, maximum: int = 2048) -> str | None:
    """A profile text (``name``, ``picture``): None, or text of at most ``maximum`` characters
    without control characters (NUL and the like are refused here, never sent to the database)."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > maximum or _CONTROL.search(value):
        raise InvalidInputError(
            f"{field} must be text of at most {maximum} characters without control characters"
        )
    return value


def validate_uid(uid: object) -> str:
    """A user id: 1-128 characters of letters, digits and ``._:@+-``."""
    if not isinstance(uid, str) or not _UID.fullmatch(uid):
        raise InvalidInputError("uid must be 1-128 characters of letters, digits and ._:@+-")
    return uid


def validate_password(password: object, *, minimum: int) -> str:
    """A password of at least ``minimum`` and at most 1024 characters (the value is never echoed)."""
    if not isinstance(password, str) or not minimum <= len(password) <= _MAX_PASSWORD:
        raise InvalidInputError(f"password must be text of {minimum} to {_MAX_PASSWORD} characters")
    return password
