"""The one error hierarchy every TauseStack package raises from.

Each error also derives from the built-in exception a Python user (or a Databutton user) would
catch, so ``except KeyError`` or ``except FileNotFoundError`` keeps working::

    try:
        storage.json.get("missing")
    except FileNotFoundError:        # ObjectNotFoundError is one
        ...

Messages say what happened and what to do. They never contain secret values.
"""

from __future__ import annotations

__all__ = [
    "TauseStackError",
    "ConfigurationError",
    "NotFoundError",
    "KeyNotFoundError",
    "ObjectNotFoundError",
    "InvalidInputError",
    "InvalidKeyError",
    "BackendUnavailableError",
    "AccessDeniedError",
    "UnsupportedOperationError",
    "ConflictError",
    "AuthError",
    "AuthenticationError",
    "PermissionDeniedError",
    "SyncInEventLoopError",
]


class TauseStackError(Exception):
    """Base class of every error TauseStack raises on purpose."""


class ConfigurationError(TauseStackError):
    """A setting is missing, malformed or names something that does not exist.

    The message names the setting (for example ``TAUSESTACK_STORAGE_URL``) and what to do.
    """


class NotFoundError(TauseStackError, LookupError):
    """The thing asked for does not exist."""


class KeyNotFoundError(NotFoundError, KeyError):
    """A named item (a secret, a cache key, a user) is missing; also a :class:`KeyError`."""

    def __str__(self) -> str:
        # KeyError.__str__ quotes its argument; keep the message readable.
        return str(self.args[0]) if self.args else ""


class ObjectNotFoundError(NotFoundError, FileNotFoundError):
    """A stored object is missing; also a :class:`FileNotFoundError`, as in Databutton."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidInputError(TauseStackError, ValueError):
    """An argument was refused before any I/O; nothing was read or written."""


class InvalidKeyError(InvalidInputError):
    """A storage or cache key is not allowed (traversal, control characters, too long...)."""


class BackendUnavailableError(TauseStackError, ConnectionError):
    """The backend service cannot be reached or answered with a server-side failure."""


class AccessDeniedError(TauseStackError, PermissionError):
    """The backend refused the operation for lack of permission (bad credentials, policy)."""


class UnsupportedOperationError(TauseStackError):
    """The configured backend cannot do this (for example ``presign`` on local files)."""


class ConflictError(TauseStackError):
    """The operation conflicts with existing state (a duplicate user, a unique constraint)."""


class AuthError(TauseStackError):
    """Base class of authentication and authorisation failures."""


class AuthenticationError(AuthError):
    """Credentials are missing, malformed, expired, forged or revoked (HTTP 401)."""


class PermissionDeniedError(AuthError, PermissionError):
    """The caller is authenticated but lacks a required role or claim (HTTP 403)."""


class SyncInEventLoopError(TauseStackError, RuntimeError):
    """A blocking call that needs an event loop was made from inside a running one.

    Use the ``a``-prefixed async twin instead (``await storage.json.aget(...)``).
    """
