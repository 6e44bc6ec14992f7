"""``local://``: the embedded default. Users in SQL (SQLite by default), argon2, self-signed JWTs.

URL: ``local://[DIRECTORY][?option=...]``; DIRECTORY (default ``.tausestack``) holds ``auth.db``
and the signing key ``auth/signing-key-rs256.pem`` (``0600``), both created on first use.
Options: ``database`` (any SQLAlchemy URL), ``key_file`` (PEM path), ``key`` (PEM text, usually
``secret:NAME``), ``algorithm`` (``RS256`` | ``ES256``), ``issuer``, ``audience``, ``access_ttl``
(15m), ``refresh_ttl`` (30d), ``leeway`` (10s), ``user_cache`` (5s: how long another process's
change to a user may take to be seen here; ``0`` reads the database on every request),
``token_cache`` (10000 verified tokens), ``min_password_length`` (8).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tausestack.auth._base import AuthBackend
from tausestack.auth._claims import (
    normalize_email,
    validate_password,
)
from tausestack.auth._errors import InvalidTokenError
from tausestack.auth._jwt import DEFAULT_LEEWAY, TokenVerifier
from tausestack.auth._keys import VerificationKey
from tausestack.auth._token_cache import VerifiedTokenCache
from tausestack.auth._user import TokenPair, User
from tausestack.auth.backends._local_fields import changed_values, new_user_values
from tausestack.auth.backends._local_keys import SIGNING_ALGORITHMS, SigningKey
from tausestack.auth.backends._local_store import RefreshRecord, UserRecord, UserStore
from tausestack.core import (
    AuthenticationError,
    BackendURL,
    InvalidInputError,
    get_logger,
    redact_url,
    resolve_secret_reference,
    run_sync,
)

__all__ = ["LocalAuthBackend"]

_log = get_logger("auth.local")
_OPTIONS = frozenset(
    {
        "database", "key_file", "key", "algorithm", "issuer", "audience", "access_ttl", "refresh_ttl",
        "leeway", "user_cache", "token_cache", "min_password_length",
    }
)  # fmt: skip


@dataclass(frozen=True)
class _Pending:
    """The token is good; the user's state must be read from the database first."""

    uid: str
    version: int


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LocalAuthBackend(AuthBackend):
    """Users in a SQL database, argon2 passwords, access JWTs signed with a per-project key.

    >>> backend = LocalAuthBackend()                                   # doctest: +SKIP
    >>> backend.create_user("ada@example.com", "correct horse", roles=["admin"])  # doctest: +SKIP
    >>> pair = backend.sign_in("ada@example.com", "correct horse")     # doctest: +SKIP
    >>> backend.verify_token(pair.access_token).email                  # doctest: +SKIP
    'ada@example.com'

    Access tokens carry ``sub``, ``email``, ``roles`` and the custom claims, and are checked on
    every verification against the user's current state (deleted, disabled, revoked), read
    through a short cache (``user_cache``). Refresh tokens are opaque, stored hashed, single
    use: presenting one twice revokes its whole session (reuse detection).
    """

    scheme = "local"

    def __init__(
        self,
        *,
        directory: str | Path = ".tausestack",
        database: str | None = None,
        key_file: str | Path | None = None,
        key: str | SigningKey | None = None,
        algorithm: str = "RS256",
        issuer: str = "tausestack:local",
        audience: str = "tausestack",
        access_ttl: float = 900.0,
        refresh_ttl: float = 30 * 86400.0,
        leeway: float = DEFAULT_LEEWAY,
        user_cache: float = 5.0,
        token_cache: int = 10_000,
        min_password_length: int = 8,
        password_hasher: PasswordHasher | None = None,
    ) -> None:
        if algorithm not in SIGNING_ALGORITHMS:
            raise InvalidInputError(f"algorithm must be one of {', '.join(SIGNING_ALGORITHMS)}")
        self.directory = Path(directory)
        self._database_given = database is not None
        self.store = UserStore(database or f"sqlite:///{self.directory / 'auth.db'}")
        self.key_file = (
            Path(key_file)
            if key_file is not None
            else self.directory / "auth" / f"signing-key-{algorithm.lower()}.pem"
        )
        self._key_source = key
        self.algorithm = algorithm
        self.issuer = issuer
        self.audience = audience
        self.access_ttl = int(access_ttl)
        self.refresh_ttl = float(refresh_ttl)
        self.leeway = float(leeway)
        self.user_cache = float(user_cache)
        self.min_password_length = min_password_length
        self._hasher = password_hasher or PasswordHasher()
        self._dummy_hash: str | None = None
        self._tokens: VerifiedTokenCache[tuple[str, int]] = VerifiedTokenCache(token_cache)
        self._users: dict[str, tuple[float, UserRecord | None]] = {}
        self._signing: SigningKey | None = None
        self._verifier: TokenVerifier | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> LocalAuthBackend:
        """Build from ``local://[DIRECTORY]?options`` (see the module docstring)."""
        url.check_options(_OPTIONS)
        database = url.option("database")
        if database and " " in database.partition("://")[0]:
            # a query string decodes "+" as a space: postgresql+psycopg:// arrives as "postgresql psycopg://"
            scheme, separator, rest = database.partition("://")
            database = scheme.replace(" ", "+") + separator + rest
        key = url.option("key")
        variable = url.variable
        return cls(
            directory=url.location or ".tausestack",
            database=resolve_secret_reference(database, variable=variable) if database else None,
            key_file=url.option("key_file"),
            key=resolve_secret_reference(key, variable=variable) if key else None,
            algorithm=(url.option("algorithm") or "RS256").upper(),
            issuer=url.option("issuer") or "tausestack:local",
            audience=url.option("audience") or "tausestack",
            access_ttl=url.option_duration("access_ttl", 900.0) or 900.0,
            refresh_ttl=url.option_duration("refresh_ttl", 30 * 86400.0) or 30 * 86400.0,
            leeway=url.option_duration("leeway", DEFAULT_LEEWAY) or 0.0,
            user_cache=url.option_duration("user_cache", 5.0) or 0.0,
            token_cache=url.option_int("token_cache", 10_000, minimum=0),
            min_password_length=url.option_int("min_password_length", 8, minimum=1),
        )

    def describe(self) -> str:
        text = f"local://{self.directory}"
        if self._database_given:
            text += f"?database={self.store.describe()}"
        return redact_url(text)

    # -- keys ------------------------------------------------------------------------------------

    @property
    def signing_key(self) -> SigningKey:
        """The signing key, loaded or generated on first use."""
        if self._signing is None:
            self._prepare()
        assert self._signing is not None
        return self._signing

    def _prepare(self) -> TokenVerifier:
        with self._lock:
            if self._verifier is None:
                source = self._key_source
                if isinstance(source, SigningKey):
                    signing = source
                elif source:
                    signing = SigningKey.from_pem(source, self.algorithm)
                else:
                    signing = SigningKey.load_or_create(self.key_file, self.algorithm)
                keys: dict[str | None, VerificationKey] = {signing.kid: signing.verification}
                self._signing = signing
                self._verifier = TokenVerifier(
                    lambda kid, alg: keys.get(kid) if kid is not None else None,
                    issuer=self.issuer,
                    audience=self.audience,
                    leeway=self.leeway,
                )
            return self._verifier

    def jwks(self) -> dict[str, Any]:
        """The public keys as a JWKS document, for other services to verify these tokens."""
        return {"keys": [dict(self.signing_key.public_jwk)]}

    # -- verification ----------------------------------------------------------------------------

    def _check(self, token: str) -> User | _Pending:
        now = time.time()
        known = self._tokens.get(token, now)
        if known is None:
            verifier = self._verifier or self._prepare()
            payload = verifier.decode(token, now=now)
            version = payload.get("ver")
            if type(version) is not int:
                raise InvalidTokenError("token has no version (ver)")
            known = (payload["sub"], version)
            self._tokens.put(token, known, expires_at=float(payload["exp"]))
        uid, version = known
        state = self._users.get(uid)
        if state is None or now - state[0] > self.user_cache:
            return _Pending(uid, version)
        return self._accept(state[1], version)

    @staticmethod
    def _accept(record: UserRecord | None, version: int) -> User:
        if record is None:
            raise InvalidTokenError("token is for a user that no longer exists")
        if record.user.disabled:
            raise InvalidTokenError("token is for a disabled user")
        if version < record.token_version:
            raise InvalidTokenError("token has been revoked")
        return record.user

    def _load(self, uid: str) -> UserRecord | None:
        record = self.store.find(uid=uid)
        if self.user_cache > 0:
            self._users[uid] = (time.time(), record)
        return record

    def _forget(self, uid: str) -> None:
        self._users.pop(uid, None)

    def verify_token(self, token: str) -> User:
        """The user of a valid access token; :class:`InvalidTokenError` (401) for any other input."""
        result = self._check(token)
        if isinstance(result, _Pending):
            return self._accept(self._load(result.uid), result.version)
        return result

    async def averify_token(self, token: str) -> User:
        """Async twin of :meth:`verify_token`: answers on the loop, reads the database in a thread."""
        result = self._check(token)
        if isinstance(result, _Pending):
            return self._accept(await run_sync(self._load, result.uid), result.version)
        return result

    # -- sign-in and refresh ---------------------------------------------------------------------

    def _issue(self, record: UserRecord, family: str) -> TokenPair:
        user, now = record.user, int(time.time())
        payload: dict[str, Any] = {
            **user.claims,
            "iss": self.issuer,
            "aud": self.audience,
            "sub": user.uid,
            "iat": now,
            "exp": now + self.access_ttl,
            "jti": secrets.token_urlsafe(12),
            "ver": record.token_version,
            "email": user.email,
            "email_verified": user.email_verified,
            "roles": list(user.roles),
        }
        signing = self.signing_key
        access = jwt.encode(
            payload, signing.private_key, algorithm=signing.algorithm, headers={"kid": signing.kid}
        )
        token_id, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
        self.store.add_refresh(
            RefreshRecord(
                id=token_id,
                uid=user.uid,
                family=family,
                secret_hash=_digest(secret),
                token_version=record.token_version,
                expires_at=time.time() + self.refresh_ttl,
                used=False,
                revoked=False,
            )
        )
        return TokenPair(
            access_token=access, refresh_token=f"{token_id}.{secret}", expires_in=self.access_ttl
        )

    def sign_in(self, email: str, password: str) -> TokenPair:
        """Check e-mail and password; a new access and refresh token pair.

        :class:`AuthenticationError` ("invalid e-mail or password") whatever was wrong, in about
        the same time whether or not the e-mail exists; also for a disabled user.
        """
        failure = AuthenticationError("invalid e-mail or password")
        try:
            address = normalize_email(email)
        except InvalidInputError:
            raise failure from None
        if not isinstance(password, str) or len(password) > 1024:
            raise failure
        record = self.store.find(email=address)
        stored = record.password_hash if record is not None else None
        if stored is None:
            self._verify_password(self._dummy(), password)
            raise failure
        if not self._verify_password(stored, password):
            raise failure
        assert record is not None
        if record.user.disabled:
            raise AuthenticationError("this user is disabled")
        if self._hasher.check_needs_rehash(stored):
            record = self.store.update(record.user.uid, {"password_hash": self._hasher.hash(password)})
        return self._issue(record, family=secrets.token_urlsafe(12))

    def _verify_password(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def refresh(self, refresh_token: str) -> TokenPair:
        """A new token pair for a refresh token, which is used up (single use).

        :class:`AuthenticationError` when the token is unknown, expired, revoked, or for a user
        deleted, disabled or revoked since. Presenting a used refresh token again revokes every
        token of that session (it was stolen, or replayed).
        """
        if not isinstance(refresh_token, str) or len(refresh_token) > 256 or refresh_token.count(".") != 1:
            raise AuthenticationError("refresh token is malformed")
        token_id, secret = refresh_token.split(".")
        stored = self.store.find_refresh(token_id)
        if stored is None or not hmac.compare_digest(_digest(secret), stored.secret_hash):
            raise AuthenticationError("refresh token is not valid")
        if stored.revoked:
            raise AuthenticationError("refresh token has been revoked")
        if stored.used or not self.store.use_refresh(token_id):
            self.store.revoke_family(stored.family)
            _log.warning("refresh token reuse detected for user %s; that session was revoked", stored.uid)
            raise AuthenticationError("refresh token was already used; the session has been revoked")
        if time.time() > stored.expires_at:
            raise AuthenticationError("refresh token has expired")
        record = self.store.find(uid=stored.uid)
        if record is None or record.user.disabled or record.token_version != stored.token_version:
            raise AuthenticationError("refresh token is no longer valid for this user")
        return self._issue(record, family=stored.family)

    async def asign_in(self, email: str, password: str) -> TokenPair:
        """Async twin of :meth:`sign_in`."""
        return await run_sync(self.sign_in, email, password)

    async def arefresh(self, refresh_token: str) -> TokenPair:
        """Async twin of :meth:`refresh`."""
        return await run_sync(self.refresh, refresh_token)

    async def ajwks(self) -> dict[str, Any]:
        """Async twin of :meth:`jwks` (the first call may generate the key)."""
        return await run_sync(self.jwks)

    # -- users -----------------------------------------------------------------------------------

    def _hash(self, password: object) -> str:
        return self._hasher.hash(validate_password(password, minimum=self.min_password_length))

    def create_user(self, email: str, password: str | None = None, **profile: Any) -> User:
        """Create a user (``password`` optional: without one the user cannot sign in)."""
        record = self.store.insert(new_user_values(email, password, profile, hash_password=self._hash))
        self._forget(record.user.uid)
        _log.info("created user %s", record.user.uid)
        return record.user

    def update_user(self, uid: str, **changes: Any) -> User:
        """Change profile fields; a new password or ``disabled=True`` also revokes the user's tokens."""
        values = changed_values(changes, hash_password=self._hash)
        bump = "password" in changes or values.get("disabled") is True
        try:
            return self.store.update(uid, values, bump_version=bump).user
        finally:
            self._forget(uid)

    def delete_user(self, uid: str) -> None:
        """Delete the user and their refresh tokens; their access tokens stop verifying."""
        try:
            self.store.delete(uid)
        finally:
            self._forget(uid)
        _log.info("deleted user %s", uid)

    def get_user(self, uid: str) -> User:
        return self.store.get(uid=uid).user

    def get_user_by_email(self, email: str) -> User:
        return self.store.get(email=normalize_email(email)).user

    def set_claims(self, uid: str, claims: dict[str, Any]) -> User:
        return self.update_user(uid, claims=claims)

    def set_roles(self, uid: str, roles: Sequence[str]) -> User:
        return self.update_user(uid, roles=roles)

    def revoke_tokens(self, uid: str) -> None:
        """Every access and refresh token issued to ``uid`` so far stops working."""
        try:
            self.store.update(uid, {}, bump_version=True)
        finally:
            self._forget(uid)
        _log.info("revoked the tokens of user %s", uid)

    # -- lifecycle -------------------------------------------------------------------------------

    def health(self) -> None:
        self.store.ping()
        self._verifier or self._prepare()

    def close(self) -> None:
        self.store.close()
