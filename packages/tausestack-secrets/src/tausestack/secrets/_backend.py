"""The secrets backend interface and secret-name validation."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import ClassVar

from tausestack.core import BackendURL, InvalidKeyError, UnsupportedOperationError

__all__ = ["SecretsBackend", "validate_name"]

_NAME = re.compile(r"[A-Za-z0-9_./+=@-]{1,512}")


def validate_name(name: object) -> str:
    """Return ``name`` when it can name a secret: letters, digits and ``_ . / + = @ -``, 1-512 long.

    :class:`~tausestack.core.InvalidKeyError` (a ``ValueError``) otherwise, before any I/O.
    """
    if not isinstance(name, str):
        raise InvalidKeyError(f"a secret name must be a str, not {type(name).__name__}")
    if _NAME.fullmatch(name) is None:
        shown = re.sub(r"[\x00-\x1f\x7f]", "?", name[:60])
        raise InvalidKeyError(
            f"secret name {shown!r} is not valid: use 1-512 letters, digits and '_ . / + = @ -'"
        )
    return name


class SecretsBackend(ABC):
    """Where secrets live. One file per backend under ``backends/``.

    ``get`` returns ``None`` for a missing secret (the :class:`~tausestack.secrets.Secrets`
    front raises or applies the default). Values are ``str`` or, for binary secrets, ``bytes``.
    Implementations never put a value in an exception message, a log line or a repr.
    """

    scheme: ClassVar[str] = ""
    #: How long :class:`Secrets` caches values of this backend by default (seconds).
    default_cache_ttl: ClassVar[float] = 0.0

    @classmethod
    @abstractmethod
    def from_url(cls, url: BackendURL) -> SecretsBackend:
        """Build the backend from its parsed URL (refusing unknown options)."""

    @abstractmethod
    def get(self, name: str) -> str | bytes | None:
        """The secret's value, or None when it does not exist."""

    def put(self, name: str, value: str | bytes) -> None:
        """Create or update the secret."""
        raise UnsupportedOperationError(f"the {self.scheme}:// secrets backend is read-only")

    def delete(self, name: str) -> bool:
        """Delete the secret; False when it did not exist."""
        raise UnsupportedOperationError(f"the {self.scheme}:// secrets backend is read-only")

    @abstractmethod
    def names(self) -> list[str]:
        """Every secret name this backend has (any order)."""

    def health(self) -> None:
        """Check the backend works; raise BackendUnavailableError when not."""
        return

    def close(self) -> None:
        """Release connections (the backend reopens on next use)."""
        return

    @property
    def cache_ttl(self) -> float:
        """This backend's default cache TTL in seconds."""
        return self.default_cache_ttl

    @abstractmethod
    def describe(self) -> str:
        """Short text naming the backend (never a value)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()!r})"
