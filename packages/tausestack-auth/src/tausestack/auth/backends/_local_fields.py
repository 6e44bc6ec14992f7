"""The local backend's user fields: checked and normalised before anything is written."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from tausestack.auth._claims import (
    normalize_email,
    validate_claims,
    validate_profile_text,
    validate_roles,
    validate_uid,
)
from tausestack.core import InvalidInputError

__all__ = ["new_user_values", "changed_values"]

_PROFILE = frozenset({"uid", "name", "picture", "email_verified", "disabled", "roles", "claims"})
_CHANGES = frozenset(
    {"email", "password", "name", "picture", "email_verified", "disabled", "roles", "claims"}
)


def _refuse_unknown(given: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise InvalidInputError(f"unknown {what} field(s): {', '.join(sorted(unknown))}")


def new_user_values(
    email: str, password: str | None, profile: Mapping[str, Any], *, hash_password: Callable[[object], str]
) -> dict[str, Any]:
    """The row of a new user; :class:`InvalidInputError` for any bad field."""
    _refuse_unknown(profile, _PROFILE, "profile")
    return {
        "uid": validate_uid(profile.get("uid") or uuid.uuid4().hex),
        "email": normalize_email(email),
        "email_verified": bool(profile.get("email_verified", False)),
        "name": validate_profile_text(profile.get("name"), "name", maximum=256),
        "picture": validate_profile_text(profile.get("picture"), "picture"),
        "disabled": bool(profile.get("disabled", False)),
        "roles": validate_roles(profile.get("roles") or []),
        "claims": validate_claims(profile.get("claims") or {}),
        "password_hash": hash_password(password) if password is not None else None,
    }


def changed_values(changes: Mapping[str, Any], *, hash_password: Callable[[object], str]) -> dict[str, Any]:
    """The columns an update changes; :class:`InvalidInputError` for any bad field."""
    _refuse_unknown(changes, _CHANGES, "user")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = validate_profile_text(changes["name"], "name", maximum=256)
    if "picture" in changes:
        values["picture"] = validate_profile_text(changes["picture"], "picture")
    values.update({name: bool(changes[name]) for name in ("email_verified", "disabled") if name in changes})
    if "email" in changes:
        values["email"] = normalize_email(changes["email"])
    if "roles" in changes:
        values["roles"] = validate_roles(changes["roles"])
    if "claims" in changes:
        values["claims"] = validate_claims(changes["claims"])
    if "password" in changes:
        values["password_hash"] = None if changes["password"] is None else hash_password(changes["password"])
    return values
