"""Errors specific to tausestack.auth, each a subclass of the shared core hierarchy."""

from __future__ import annotations

from tausestack.core import AuthenticationError, ConflictError, InvalidInputError, KeyNotFoundError

__all__ = ["InvalidTokenError", "UserNotFoundError", "UserExistsError", "InvalidClaimsError"]


class InvalidTokenError(AuthenticationError):
    """A token is malformed, expired, forged, revoked or for a user that cannot sign in (401).

    The message says which check failed; it never contains the token.
    """


class UserNotFoundError(KeyNotFoundError):
    """No user has this uid or e-mail address (also a :class:`KeyError`)."""


class UserExistsError(ConflictError):
    """A user with this e-mail address (or uid) already exists."""


class InvalidClaimsError(InvalidInputError):
    """Custom claims were refused before any call: reserved names, too large, not JSON."""
