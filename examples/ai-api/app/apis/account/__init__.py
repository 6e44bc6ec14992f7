"""Sign up and get a token (public), and who am I (signed in).

Sign-up and password sign-in are what the embedded local auth backend offers; with Firebase
or Supabase, users sign in through that provider and send its ID token instead.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel, Field

from tausestack import auth, web
from tausestack.auth import AuthorizedUser

router = web.router(auth_required=False, prefix="/account", tags=["account"])


class Credentials(BaseModel):
    # no control characters (NUL is refused by PostgreSQL text columns, e.g. a local:// user database there)
    email: str = Field(
        pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$", max_length=254
    )
    password: str = Field(min_length=8, max_length=256)


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str | None = None
    token_type: str = "bearer"  # noqa: S105 - the OAuth 2 token type, not a secret
    expires_in: int | None = None


def _local_backend() -> Any:
    backend = auth.get_backend()
    if not callable(getattr(backend, "sign_in", None)):
        raise HTTPException(
            status_code=501, detail="sign-up and password sign-in are only offered by the local auth backend"
        )
    return backend


def _tokens(pair: Any) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        token_type=pair.token_type,
        expires_in=pair.expires_in,
    )


@router.post("/signup", status_code=201)
def signup(body: Credentials) -> TokenOut:
    """Create a user (local auth backend) and return their tokens."""
    backend = _local_backend()
    try:
        backend.create_user(body.email, password=body.password)
    except auth.UserExistsError:
        raise HTTPException(status_code=409, detail="a user with this e-mail already exists") from None
    return _tokens(backend.sign_in(body.email, body.password))


@router.post("/token")
def token(body: Credentials) -> TokenOut:
    """Sign in with e-mail and password (local auth backend)."""
    return _tokens(_local_backend().sign_in(body.email, body.password))


@router.get("/me", auth_required=True)
def me(user: AuthorizedUser) -> dict[str, Any]:
    """The signed-in user."""
    return {
        "uid": user.uid,
        "email": user.email,
        "name": user.name,
        "roles": user.roles,
        "provider": user.provider,
    }
