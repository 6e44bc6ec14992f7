"""The abstract auth backend: one small ABC, one file per backend under ``backends/``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from tausestack.auth._user import User
from tausestack.core import BackendURL, run_sync

__all__ = ["AuthBackend", "AbstractAuthBackend"]


class AuthBackend(ABC):
    """Verifies tokens and administers users for one identity provider.

    Subclasses implement the blocking methods; each has an ``a``-prefixed async twin that runs
    it off the event loop (backends override a twin where they can do better, e.g. answer a
    token seen before without leaving the loop).

    Errors: :meth:`verify_token` raises :class:`~tausestack.core.AuthenticationError` (401) for
    *any* bad token and never another type for bad input; the admin methods raise
    :class:`~tausestack.auth.UserNotFoundError` (a ``KeyError``) for an unknown uid or e-mail,
    :class:`~tausestack.auth.UserExistsError` for a duplicate e-mail and
    :class:`~tausestack.core.InvalidInputError` for refused input (before any call).

    >>> from tausestack.auth import get_backend
    >>> backend = get_backend()            # doctest: +SKIP
    >>> user = backend.verify_token(token)  # doctest: +SKIP
    """

    #: The URL scheme this backend is registered under (``local``, ``firebase``...).
    scheme: ClassVar[str] = ""

    @classmethod
    def from_url(cls, url: BackendURL) -> AuthBackend:
        """Build the backend from its ``TAUSESTACK_AUTH_URL``."""
        raise TypeError(f"{cls.__name__} cannot be built from a URL")

    # -- tokens ----------------------------------------------------------------------------------

    @abstractmethod
    def verify_token(self, token: str) -> User:
        """The user a token was issued to; :class:`AuthenticationError` when it is not valid."""

    @abstractmethod
    def revoke_tokens(self, uid: str) -> None:
        """Invalidate every token issued to ``uid`` so far (refresh tokens included)."""

    def revoke(self, uid: str) -> None:
        """Alias of :meth:`revoke_tokens`."""
        self.revoke_tokens(uid)

    # -- users -----------------------------------------------------------------------------------

    @abstractmethod
    def get_user(self, uid: str) -> User:
        """The user with this uid; :class:`UserNotFoundError` when there is none."""

    @abstractmethod
    def get_user_by_email(self, email: str) -> User:
        """The user with this e-mail address; :class:`UserNotFoundError` when there is none."""

    @abstractmethod
    def create_user(self, email: str, password: str | None = None, **profile: Any) -> User:
        """Create a user. ``profile`` may hold ``name``, ``picture``, ``email_verified``,
        ``disabled``, ``roles``, ``claims`` and (where the backend allows it) ``uid``."""

    @abstractmethod
    def update_user(self, uid: str, **changes: Any) -> User:
        """Change ``email``, ``password``, ``name``, ``picture``, ``email_verified``, ``disabled``
        (and ``roles``/``claims``); returns the updated user."""

    @abstractmethod
    def delete_user(self, uid: str) -> None:
        """Delete the user; their tokens stop verifying. :class:`UserNotFoundError` when absent."""

    @abstractmethod
    def set_claims(self, uid: str, claims: dict[str, Any]) -> User:
        """Replace the user's custom claims (``roles`` excluded: use :meth:`set_roles`)."""

    @abstractmethod
    def set_roles(self, uid: str, roles: Sequence[str]) -> User:
        """Replace the user's roles."""

    # -- lifecycle -------------------------------------------------------------------------------

    def health(self) -> None:
        """Check the backend works (a cheap round trip); :class:`BackendUnavailableError` if not."""
        return

    def close(self) -> None:
        """Release connections and pools; the backend reopens them on next use."""
        return

    def describe(self) -> str:
        """A short redacted description of the backend (no secrets), e.g. ``local://``."""
        return f"{self.scheme}://"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()!r})"

    # -- async twins -----------------------------------------------------------------------------

    async def averify_token(self, token: str) -> User:
        """Async twin of :meth:`verify_token` (runs in a worker thread unless overridden)."""
        return await run_sync(self.verify_token, token)

    async def arevoke_tokens(self, uid: str) -> None:
        """Async twin of :meth:`revoke_tokens`."""
        await run_sync(self.revoke_tokens, uid)

    async def arevoke(self, uid: str) -> None:
        """Async twin of :meth:`revoke`."""
        await run_sync(self.revoke, uid)

    async def aget_user(self, uid: str) -> User:
        """Async twin of :meth:`get_user`."""
        return await run_sync(self.get_user, uid)

    async def aget_user_by_email(self, email: str) -> User:
        """Async twin of :meth:`get_user_by_email`."""
        return await run_sync(self.get_user_by_email, email)

    async def acreate_user(self, email: str, password: str | None = None, **profile: Any) -> User:
        """Async twin of :meth:`create_user`."""
        return await run_sync(self.create_user, email, password, **profile)

    async def aupdate_user(self, uid: str, **changes: Any) -> User:
        """Async twin of :meth:`update_user`."""
        return await run_sync(self.update_user, uid, **changes)

    async def adelete_user(self, uid: str) -> None:
        """Async twin of :meth:`delete_user`."""
        await run_sync(self.delete_user, uid)

    async def aset_claims(self, uid: str, claims: dict[str, Any]) -> User:
        """Async twin of :meth:`set_claims`."""
        return await run_sync(self.set_claims, uid, claims)

    async def aset_roles(self, uid: str, roles: Sequence[str]) -> User:
        """Async twin of :meth:`set_roles`."""
        return await run_sync(self.set_roles, uid, roles)

    async def ahealth(self) -> None:
        """Async twin of :meth:`health`."""
        await run_sync(self.health)

    async def aclose(self) -> None:
        """Async twin of :meth:`close`."""
        await run_sync(self.close)


AbstractAuthBackend = AuthBackend
"""The seed roadmap's name for :class:`AuthBackend`."""
