"""A table-driven AuthBackend for testing the FastAPI layer alone (the real backends have their own tests)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tausestack.auth import AuthBackend, User, UserNotFoundError
from tausestack.core import AuthenticationError


class TableBackend(AuthBackend):
    scheme = "table"

    def __init__(self, users: dict[str, User]) -> None:
        self.tokens = dict(users)
        self.calls = 0

    def verify_token(self, token: str) -> User:
        self.calls += 1
        try:
            return self.tokens[token]
        except KeyError:
            raise AuthenticationError("unknown token") from None

    def revoke_tokens(self, uid: str) -> None:
        self.tokens = {t: u for t, u in self.tokens.items() if u.uid != uid}

    def get_user(self, uid: str) -> User:
        for user in self.tokens.values():
            if user.uid == uid:
                return user
        raise UserNotFoundError(uid)

    def get_user_by_email(self, email: str) -> User:
        for user in self.tokens.values():
            if user.email == email:
                return user
        raise UserNotFoundError(email)

    def create_user(self, email: str, password: str | None = None, **profile: Any) -> User:
        raise AuthenticationError("read-only")

    def update_user(self, uid: str, **changes: Any) -> User:
        raise AuthenticationError("read-only")

    def delete_user(self, uid: str) -> None:
        self.revoke_tokens(uid)

    def set_claims(self, uid: str, claims: dict[str, Any]) -> User:
        raise AuthenticationError("read-only")

    def set_roles(self, uid: str, roles: Sequence[str]) -> User:
        raise AuthenticationError("read-only")
