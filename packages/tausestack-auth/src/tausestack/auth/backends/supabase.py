"""``supabase://PROJECT_REF``: verifies Supabase Auth JWTs; user admin through the Supabase client.

Verification needs no call per request: by the project's JWKS (ES256/RS256, keys cached and
refetched when an unknown ``kid`` appears) and/or by the legacy HS256 JWT secret, which has no
default (``verify=secret`` without ``jwt_secret`` is a :class:`ConfigurationError`).

URL: ``supabase://PROJECT_REF`` (``https://PROJECT_REF.supabase.co``) or
``supabase://?url=http://127.0.0.1:54321`` for a self-hosted or local stack. Options: ``url``,
``verify`` (``jwks`` | ``secret`` | ``both``; default ``jwks``, or ``secret`` when only
``jwt_secret`` is given), ``jwt_secret`` and ``service_key`` (use ``secret:NAME``; also read from
``SUPABASE_JWT_SECRET`` / ``SUPABASE_SERVICE_ROLE_KEY``), ``jwks_url``, ``issuer``
(``{url}/auth/v1``), ``audience`` (``authenticated``), ``leeway`` (10s), ``jwks_cache`` (10m),
``check_user`` (false: when true each user's state is fetched from GoTrue at most every
``user_cache`` seconds, so deleted, banned and revoked users get a 401), ``user_cache`` (30s),
``token_cache`` (10000).

Roles are ``app_metadata.roles``; custom claims are the other ``app_metadata`` keys; a disabled
user is a banned one. Supabase has no admin call that ends a user's sessions by id, so
:meth:`SupabaseAuthBackend.revoke_tokens` records the time in ``app_metadata`` and tokens issued
before it are refused by this process at once and by every ``check_user`` instance.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from tausestack.auth._base import AuthBackend
from tausestack.auth._claims import normalize_email, validate_claims, validate_password, validate_roles
from tausestack.auth._errors import InvalidTokenError, UserNotFoundError
from tausestack.auth._jwks import JwksKeySet, KeysNeedFetching
from tausestack.auth._jwt import DEFAULT_LEEWAY, TokenVerifier
from tausestack.auth._keys import HMAC_ALGORITHMS, VerificationKey
from tausestack.auth._token_cache import VerifiedTokenCache
from tausestack.auth._user import User
from tausestack.auth.backends._supabase_users import (
    BANNED_FOREVER,
    REVOKED_AT,
    SYSTEM_METADATA,
    call_admin,
    user_from_admin,
    user_from_claims,
)
from tausestack.core import (
    BackendURL,
    ConfigurationError,
    InvalidInputError,
    get_logger,
    redact_url,
    register_secret,
    resolve_secret_reference,
    run_sync,
)

__all__ = ["SupabaseAuthBackend"]

_log = get_logger("auth.supabase")
_OPTIONS = frozenset(
    {
        "url", "verify", "jwt_secret", "service_key", "jwks_url", "issuer", "audience", "leeway",
        "jwks_cache", "check_user", "user_cache", "token_cache",
    }
)  # fmt: skip


class SupabaseAuthBackend(AuthBackend):
    """Supabase Auth (GoTrue): stateless JWT verification, admin through ``supabase``'s client.

    >>> backend = SupabaseAuthBackend(url="https://abc.supabase.co")  # doctest: +SKIP
    >>> backend.verify_token(access_token).uid                         # doctest: +SKIP
    """

    scheme = "supabase"

    def __init__(
        self,
        *,
        url: str,
        verify: str | None = None,
        jwt_secret: str | None = None,
        service_key: str | None = None,
        jwks_url: str | None = None,
        issuer: str | None = None,
        audience: str | Sequence[str] | None = "authenticated",
        leeway: float = DEFAULT_LEEWAY,
        jwks_cache: float = 600.0,
        check_user: bool = False,
        user_cache: float = 30.0,
        token_cache: int = 10_000,
    ) -> None:
        self.url = url.rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise ConfigurationError(
                "TAUSESTACK_AUTH_URL: the Supabase url must start with http:// or https://"
            )
        mode = verify or ("secret" if jwt_secret else "jwks")
        if mode not in ("jwks", "secret", "both"):
            raise ConfigurationError("TAUSESTACK_AUTH_URL: verify must be jwks, secret or both")
        if mode in ("secret", "both") and not jwt_secret:
            raise ConfigurationError(
                "TAUSESTACK_AUTH_URL: verifying Supabase tokens by secret needs the project's JWT secret: "
                "add ?jwt_secret=secret:SUPABASE_JWT_SECRET (there is no default secret)"
            )
        self.verify = mode
        register_secret(jwt_secret)
        register_secret(service_key)
        self._secret_keys: dict[str, VerificationKey] = {}
        if jwt_secret and mode != "jwks":
            secret = jwt_secret.encode()
            self._secret_keys = {
                alg: VerificationKey(algorithm=alg, key=secret) for alg in sorted(HMAC_ALGORITHMS)
            }
        self.jwks = (
            JwksKeySet(jwks_url or f"{self.url}/auth/v1/.well-known/jwks.json", max_age=jwks_cache)
            if mode != "secret"
            else None
        )
        self._service_key = service_key
        self.check_user = check_user
        self.user_cache = user_cache
        accepted_issuer = issuer or f"{self.url}/auth/v1"
        self._verifier = TokenVerifier(self._lookup, issuer=accepted_issuer, audience=audience, leeway=leeway)
        self._cached_verifier = TokenVerifier(
            self._cached_lookup, issuer=accepted_issuer, audience=audience, leeway=leeway
        )
        self._tokens: VerifiedTokenCache[tuple[User, float]] = VerifiedTokenCache(token_cache)
        self._revoked: dict[str, float] = {}
        self._states: dict[str, tuple[float, User | None, float]] = {}
        self._admin: Any = None

    @classmethod
    def from_url(cls, url: BackendURL) -> SupabaseAuthBackend:
        """Build from ``supabase://PROJECT_REF?options`` (see the module docstring)."""
        url.check_options(_OPTIONS)
        variable = url.variable

        def secret(option: str, environment: str) -> str | None:
            value = url.option(option) or os.environ.get(environment)
            return resolve_secret_reference(value, variable=variable) if value else None

        base = url.option("url") or (
            f"https://{url.host}.supabase.co" if url.host else os.environ.get("SUPABASE_URL")
        )
        if not base:
            raise ConfigurationError(
                f"{variable}: give the project, e.g. supabase://PROJECT_REF or ?url=https://..."
            )
        return cls(
            url=base,
            verify=url.option("verify"),
            jwt_secret=secret("jwt_secret", "SUPABASE_JWT_SECRET"),
            service_key=secret("service_key", "SUPABASE_SERVICE_ROLE_KEY"),
            jwks_url=url.option("jwks_url"),
            issuer=url.option("issuer"),
            audience=url.option("audience") or "authenticated",
            leeway=url.option_duration("leeway", DEFAULT_LEEWAY) or 0.0,
            jwks_cache=url.option_duration("jwks_cache", 600.0) or 0.0,
            check_user=url.option_bool("check_user", False),
            user_cache=url.option_duration("user_cache", 30.0) or 0.0,
            token_cache=url.option_int("token_cache", 10_000, minimum=0),
        )

    def describe(self) -> str:
        return redact_url(f"supabase://?url={self.url}&verify={self.verify}")

    # -- verification ----------------------------------------------------------------------------

    def _lookup(self, kid: str | None, algorithm: str) -> VerificationKey | None:
        if algorithm in HMAC_ALGORITHMS:
            return self._secret_keys.get(algorithm)
        return self.jwks.lookup(kid, algorithm) if self.jwks is not None else None

    def _cached_lookup(self, kid: str | None, algorithm: str) -> VerificationKey | None:
        if algorithm in HMAC_ALGORITHMS:
            return self._secret_keys.get(algorithm)
        return self.jwks.cached_lookup(kid, algorithm) if self.jwks is not None else None

    def _decode(self, token: str, verifier: TokenVerifier) -> tuple[User, float]:
        now = time.time()
        known = self._tokens.get(token, now)
        if known is None:
            payload = verifier.decode(token, now=now)
            issued = payload.get("iat")
            known = (user_from_claims(payload), float(issued) if isinstance(issued, (int, float)) else 0.0)
            self._tokens.put(token, known, expires_at=float(payload["exp"]))
        return known

    def _accept(self, user: User, issued_at: float, state: tuple[float, User | None, float] | None) -> User:
        revoked_at = self._revoked.get(user.uid, 0.0)
        if state is not None:
            _, current, remote_revoked_at = state
            if current is None:
                raise InvalidTokenError("token is for a user that no longer exists")
            if current.disabled:
                raise InvalidTokenError("token is for a disabled user")
            revoked_at = max(revoked_at, remote_revoked_at)
        if issued_at < revoked_at:
            raise InvalidTokenError("token has been revoked")
        return user

    def _state(self, uid: str) -> tuple[float, User | None, float] | None:
        if not self.check_user:
            return None
        state = self._states.get(uid)
        if state is not None and time.time() - state[0] <= self.user_cache:
            return state
        return None

    def _fetch_state(self, uid: str) -> tuple[float, User | None, float]:
        try:
            raw = getattr(self._admin_call("get_user_by_id", uid), "user", None)
            if raw is None:
                raise UserNotFoundError(uid)
            user, revoked = user_from_admin(raw), float((raw.app_metadata or {}).get(REVOKED_AT, 0.0))
        except UserNotFoundError:
            user, revoked = None, 0.0
        state = (time.time(), user, revoked)
        self._states[uid] = state
        return state

    def verify_token(self, token: str) -> User:
        """The user of a valid Supabase access token; :class:`InvalidTokenError` otherwise."""
        user, issued_at = self._decode(token, self._verifier)
        state = self._state(user.uid)
        if state is None and self.check_user:
            state = self._fetch_state(user.uid)
        return self._accept(user, issued_at, state)

    async def averify_token(self, token: str) -> User:
        """Async twin: answers on the loop when keys (and user state) are cached."""
        try:
            user, issued_at = self._decode(token, self._cached_verifier)
        except KeysNeedFetching:
            return await run_sync(self.verify_token, token)
        state = self._state(user.uid)
        if state is None and self.check_user:
            state = await run_sync(self._fetch_state, user.uid)
        return self._accept(user, issued_at, state)

    # -- admin (GoTrue, through the supabase client) ---------------------------------------------

    @property
    def admin(self) -> Any:
        """``supabase.create_client(url, service_key).auth.admin``, built on first use."""
        if self._admin is None:
            if not self._service_key:
                raise ConfigurationError(
                    "TAUSESTACK_AUTH_URL: Supabase user admin needs the service role key: "
                    "add ?service_key=secret:SUPABASE_SERVICE_ROLE_KEY"
                )
            try:
                from supabase import create_client
            except ImportError:  # pragma: no cover - the extra is declared
                raise ConfigurationError("install it with: pip install 'tausestack-auth[supabase]'") from None
            self._admin = create_client(self.url, self._service_key).auth.admin
        return self._admin

    def _admin_call(self, method: str, *args: Any) -> Any:
        return call_admin(self.admin, self.url, method, *args)

    def _user(self, response: Any) -> User:
        return user_from_admin(getattr(response, "user", response))

    def _forget(self, uid: str) -> None:
        self._states.pop(uid, None)
        self._tokens.discard(lambda known: known[0].uid == uid)

    def get_user(self, uid: str) -> User:
        return self._user(self._admin_call("get_user_by_id", uid))

    def get_user_by_email(self, email: str) -> User:
        """Scans the user list (GoTrue has no lookup by e-mail), 1000 users per page."""
        address = normalize_email(email)
        page = 1
        while True:
            users = self._admin_call("list_users", page, 1000)
            for user in users:
                if (user.email or "").lower() == address:
                    return user_from_admin(user)
            if len(users) < 1000:
                raise UserNotFoundError(f"no Supabase user has the e-mail {address!r}")
            page += 1

    def create_user(self, email: str, password: str | None = None, **profile: Any) -> User:
        unknown = set(profile) - {"uid", "name", "picture", "email_verified", "disabled", "roles", "claims"}
        if unknown:
            raise InvalidInputError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
        attributes: dict[str, Any] = {
            "email": normalize_email(email),
            "email_confirm": bool(profile.get("email_verified", False)),
            "user_metadata": {k: profile[k] for k in ("name", "picture") if profile.get(k) is not None},
            "app_metadata": {
                **validate_claims(profile.get("claims") or {}),
                "roles": validate_roles(profile.get("roles") or []),
            },
        }
        if password is not None:
            attributes["password"] = validate_password(password, minimum=6)
        if profile.get("uid"):
            attributes["id"] = str(profile["uid"])
        if profile.get("disabled"):
            attributes["ban_duration"] = BANNED_FOREVER
        return self._user(self._admin_call("create_user", attributes))

    def update_user(self, uid: str, **changes: Any) -> User:
        attributes: dict[str, Any] = {}
        unknown = set(changes) - {
            "email",
            "password",
            "name",
            "picture",
            "email_verified",
            "disabled",
            "roles",
            "claims",
        }
        if unknown:
            raise InvalidInputError(f"unknown user field(s): {', '.join(sorted(unknown))}")
        if "email" in changes:
            attributes["email"] = normalize_email(changes["email"])
        if "password" in changes:
            attributes["password"] = validate_password(changes["password"], minimum=6)
        if "email_verified" in changes:
            attributes["email_confirm"] = bool(changes["email_verified"])
        if "disabled" in changes:
            attributes["ban_duration"] = BANNED_FOREVER if changes["disabled"] else "none"
        metadata = {k: changes[k] for k in ("name", "picture") if k in changes}
        if metadata:
            attributes["user_metadata"] = metadata
        if "roles" in changes or "claims" in changes:
            attributes["app_metadata"] = self._app_metadata(uid, changes.get("claims"), changes.get("roles"))
        try:
            return self._user(self._admin_call("update_user_by_id", uid, attributes))
        finally:
            self._forget(uid)

    def _app_metadata(
        self, uid: str, claims: dict[str, Any] | None, roles: Sequence[str] | None
    ) -> dict[str, Any]:
        current = dict(self._admin_call("get_user_by_id", uid).user.app_metadata or {})
        new_roles = validate_roles(roles) if roles is not None else current.get("roles", [])
        if claims is None:
            return {"roles": new_roles}
        checked = validate_claims(claims, extra={"roles": new_roles})
        removed = {name: None for name in current if name not in SYSTEM_METADATA and name not in checked}
        return {**removed, **checked, "roles": new_roles}

    def delete_user(self, uid: str) -> None:
        try:
            self._admin_call("delete_user", uid)
        finally:
            self._forget(uid)

    def set_claims(self, uid: str, claims: dict[str, Any]) -> User:
        validate_claims(claims)
        return self.update_user(uid, claims=claims)

    def set_roles(self, uid: str, roles: Sequence[str]) -> User:
        return self.update_user(uid, roles=validate_roles(roles))

    def revoke_tokens(self, uid: str) -> None:
        """Refuse tokens issued before now: at once here, and in every ``check_user`` instance."""
        now = float(int(time.time()))
        self._admin_call("update_user_by_id", uid, {"app_metadata": {REVOKED_AT: now}})
        self._revoked[uid] = now
        self._forget(uid)
        _log.info("revoked the tokens of Supabase user %s", uid)

    def health(self) -> None:
        if self.jwks is not None:
            self.jwks.lookup(None, "ES256")

    def close(self) -> None:
        self._admin = None
