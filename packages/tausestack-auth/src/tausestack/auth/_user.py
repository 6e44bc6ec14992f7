"""The authenticated user and the token pair the local backend issues."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

__all__ = ["User", "TokenPair"]


class User(BaseModel):
    """An authenticated user, the same shape whatever backend verified the token.

    ``uid`` is also accepted as ``sub`` or ``user_id`` (and readable through the ``sub`` and
    ``user_id`` properties), so Databutton code that reads ``user.sub`` keeps working. The object
    is immutable: the same instance may be shared by concurrent requests.

    >>> user = User(sub="u1", email="ada@example.com", roles=["admin"])
    >>> (user.uid, user.user_id, user.has_roles("admin"))
    ('u1', 'u1', True)
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    uid: str = Field(validation_alias=AliasChoices("uid", "sub", "user_id"), min_length=1)
    email: str | None = None
    email_verified: bool = False
    name: str | None = None
    picture: str | None = None
    roles: list[str] = Field(default_factory=list)
    claims: dict[str, Any] = Field(default_factory=dict)
    provider: str | None = None
    disabled: bool = False

    @property
    def sub(self) -> str:
        """The user id (the JWT ``sub`` claim), as Databutton's ``User.sub``."""
        return self.uid

    @property
    def user_id(self) -> str:
        """The user id, as Databutton's ``User.user_id``."""
        return self.uid

    def has_roles(self, *roles: str) -> bool:
        """Whether the user has every one of ``roles``."""
        return all(role in self.roles for role in roles)


class TokenPair(BaseModel):
    """An access token and the refresh token that renews it (OAuth2 token response shape).

    The tokens never appear in ``repr()``.
    """

    model_config = ConfigDict(frozen=True)

    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
