"""``firebase://PROJECT_ID``: Firebase Authentication through ``firebase-admin`` (extra ``[firebase]``).

Options: ``credentials`` (a service-account JSON file path, or the JSON itself, usually
``secret:NAME``; absent: application default credentials, or none at all when
``FIREBASE_AUTH_EMULATOR_HOST`` points at the emulator), ``check_revoked`` (false: true makes
every verification also ask Firebase whether the user was disabled or their tokens revoked,
one call per request), ``leeway`` (10s, at most 60), ``token_cache`` (10000; used only
without ``check_revoked``).

Roles live in the custom claim ``roles``; the other custom claims are :attr:`User.claims`.
Custom claims are checked against Firebase's limits (1000 bytes, reserved names) before the
call. firebase-admin is blocking: the async twins run it in a worker thread.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

from tausestack.auth._base import AuthBackend
from tausestack.auth._claims import normalize_email, validate_claims, validate_password, validate_roles
from tausestack.auth._errors import InvalidTokenError, UserExistsError, UserNotFoundError
from tausestack.auth._jwt import DEFAULT_LEEWAY, DEFAULT_MAX_TOKEN_LENGTH
from tausestack.auth._token_cache import VerifiedTokenCache
from tausestack.auth._user import User
from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    BackendURL,
    ConfigurationError,
    InvalidInputError,
    get_logger,
    redact,
    register_secret,
    resolve_secret_reference,
    run_sync,
)

__all__ = ["FirebaseAuthBackend"]

_log = get_logger("auth.firebase")
_OPTIONS = frozenset({"credentials", "check_revoked", "leeway", "token_cache"})
_STANDARD = frozenset(
    {
        "iss", "aud", "auth_time", "user_id", "sub", "iat", "exp", "email", "email_verified",
        "firebase", "uid", "name", "picture", "phone_number", "roles",
    }
)  # fmt: skip
_PROFILE = frozenset({"uid", "name", "picture", "email_verified", "disabled", "roles", "claims"})
_CHANGES = frozenset(
    {"email", "password", "name", "picture", "email_verified", "disabled", "roles", "claims"}
)


def _user_from_claims(claims: dict[str, Any]) -> User:
    roles = claims.get("roles", [])
    firebase = claims.get("firebase") if isinstance(claims.get("firebase"), dict) else {}
    try:
        return User(
            uid=claims.get("uid") or claims["sub"],
            email=claims.get("email"),
            email_verified=bool(claims.get("email_verified", False)),
            name=claims.get("name"),
            picture=claims.get("picture"),
            roles=[role for role in roles if isinstance(role, str)] if isinstance(roles, list) else [],
            claims={name: value for name, value in claims.items() if name not in _STANDARD},
            provider=(firebase or {}).get("sign_in_provider"),
        )
    except (KeyError, ValueError):
        raise InvalidTokenError("token claims do not describe a user") from None


def _user_from_record(record: Any) -> User:
    custom = dict(record.custom_claims or {})
    roles = custom.pop("roles", [])
    providers = [info.provider_id for info in (record.provider_data or [])]
    return User(
        uid=record.uid,
        email=record.email,
        email_verified=bool(record.email_verified),
        name=record.display_name,
        picture=record.photo_url,
        roles=[role for role in roles if isinstance(role, str)] if isinstance(roles, list) else [],
        claims=custom,
        provider=providers[0] if providers else None,
        disabled=bool(record.disabled),
    )


class FirebaseAuthBackend(AuthBackend):
    """Firebase Authentication: ID token verification and user admin with firebase-admin.

    >>> backend = FirebaseAuthBackend("my-project", credentials="secret:FIREBASE_SA")  # doctest: +SKIP
    >>> backend.verify_token(id_token).uid                                            # doctest: +SKIP
    """

    scheme = "firebase"

    def __init__(
        self,
        project_id: str,
        *,
        credentials: str | None = None,
        check_revoked: bool = False,
        leeway: float = DEFAULT_LEEWAY,
        token_cache: int = 10_000,
    ) -> None:
        if not project_id:
            raise ConfigurationError(
                "TAUSESTACK_AUTH_URL: give the Firebase project id, e.g. firebase://my-project"
            )
        self.project_id = project_id
        self._credentials = credentials
        if credentials and credentials.lstrip().startswith("{"):
            register_secret(credentials)
        self.check_revoked = check_revoked
        self.leeway = min(max(float(leeway), 0.0), 60.0)
        self._tokens: VerifiedTokenCache[User] = VerifiedTokenCache(token_cache)
        self._app: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> FirebaseAuthBackend:
        """Build from ``firebase://PROJECT_ID?options`` (see the module docstring)."""
        url.check_options(_OPTIONS)
        credentials = url.option("credentials")
        return cls(
            url.location.strip("/"),
            credentials=resolve_secret_reference(credentials, variable=url.variable) if credentials else None,
            check_revoked=url.option_bool("check_revoked", False),
            leeway=url.option_duration("leeway", DEFAULT_LEEWAY) or 0.0,
            token_cache=url.option_int("token_cache", 10_000, minimum=0),
        )

    def describe(self) -> str:
        return f"firebase://{self.project_id}" + ("?check_revoked=true" if self.check_revoked else "")

    # -- the firebase-admin app ------------------------------------------------------------------

    @property
    def app(self) -> Any:
        """This backend's own ``firebase_admin.App`` (never the global default app)."""
        if self._app is None:
            with self._lock:
                if self._app is None:
                    import firebase_admin

                    self._app = firebase_admin.initialize_app(
                        self._credential(),
                        options={"projectId": self.project_id},
                        name=f"tausestack-auth-{uuid.uuid4().hex}",
                    )
        return self._app

    def _credential(self) -> Any:
        from firebase_admin import credentials

        given = self._credentials
        try:
            if given and given.lstrip().startswith("{"):
                return credentials.Certificate(json.loads(given))
            if given:
                return credentials.Certificate(given)
        except (ValueError, OSError) as exc:
            kind = "JSON" if given and given.lstrip().startswith("{") else "file"
            raise ConfigurationError(
                f"TAUSESTACK_AUTH_URL: the Firebase credentials {kind} is not a service-account key "
                f"({type(exc).__name__})"
            ) from None
        if os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"):
            return None  # the emulator needs no credentials
        return credentials.ApplicationDefault()

    def close(self) -> None:
        with self._lock:
            app, self._app = self._app, None
        if app is not None:
            import firebase_admin

            firebase_admin.delete_app(app)

    def health(self) -> None:
        self._call("list_users", max_results=1)

    # -- verification ----------------------------------------------------------------------------

    def _cached(self, token: object) -> User | None:
        if (
            type(token) is not str
            or not token
            or len(token) > DEFAULT_MAX_TOKEN_LENGTH
            or token.count(".") != 2
        ):
            raise InvalidTokenError("token is not a JWT of reasonable size")
        if self.check_revoked:
            return None
        return self._tokens.get(token, time.time())

    def verify_token(self, token: str) -> User:
        """The user of a valid Firebase ID token; :class:`InvalidTokenError` for anything else."""
        cached = self._cached(token)
        if cached is not None:
            return cached
        from firebase_admin import auth, exceptions

        try:
            claims = auth.verify_id_token(
                token, app=self.app, check_revoked=self.check_revoked, clock_skew_seconds=int(self.leeway)
            )
        except auth.CertificateFetchError as exc:
            raise BackendUnavailableError(
                f"cannot fetch Firebase's public keys: {type(exc).__name__}"
            ) from None
        except auth.RevokedIdTokenError:
            raise InvalidTokenError("token has been revoked") from None
        except auth.UserDisabledError:
            raise InvalidTokenError("token is for a disabled user") from None
        except auth.UserNotFoundError:
            raise InvalidTokenError("token is for a user that no longer exists") from None
        except (auth.InvalidIdTokenError, ValueError) as exc:
            raise InvalidTokenError(f"Firebase refused the token ({type(exc).__name__})") from None
        except exceptions.FirebaseError as exc:
            raise BackendUnavailableError(f"Firebase check failed: {type(exc).__name__}") from None
        user = _user_from_claims(claims)
        if not self.check_revoked:
            self._tokens.put(token, user, expires_at=float(claims.get("exp", 0)))
        return user

    async def averify_token(self, token: str) -> User:
        """Async twin: a token seen before is answered on the loop, others in a worker thread."""
        cached = self._cached(token)
        if cached is not None:
            return cached
        return await run_sync(self.verify_token, token)

    # -- admin -----------------------------------------------------------------------------------

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        from firebase_admin import auth, exceptions

        try:
            return getattr(auth, method)(*args, app=self.app, **kwargs)
        except auth.UserNotFoundError:
            raise UserNotFoundError(f"no Firebase user matches ({method})") from None
        except (auth.EmailAlreadyExistsError, auth.UidAlreadyExistsError):
            raise UserExistsError("a Firebase user with this e-mail or uid already exists") from None
        except exceptions.PermissionDeniedError as exc:
            raise AccessDeniedError(f"Firebase refused {method}: {redact(str(exc))}") from None
        except exceptions.InvalidArgumentError as exc:
            raise InvalidInputError(f"Firebase refused {method}: {redact(str(exc))}") from None
        except exceptions.FirebaseError as exc:
            raise BackendUnavailableError(f"Firebase {method} failed: {redact(str(exc))}") from None
        except ValueError as exc:
            raise InvalidInputError(f"Firebase refused {method}: {redact(str(exc))}") from None

    def _forget(self, uid: str) -> None:
        self._tokens.discard(lambda user: user.uid == uid)

    def get_user(self, uid: str) -> User:
        return _user_from_record(self._call("get_user", uid))

    def get_user_by_email(self, email: str) -> User:
        return _user_from_record(self._call("get_user_by_email", normalize_email(email)))

    def create_user(self, email: str, password: str | None = None, **profile: Any) -> User:
        unknown = set(profile) - _PROFILE
        if unknown:
            raise InvalidInputError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
        roles = validate_roles(profile.get("roles") or [])
        custom = validate_claims(profile.get("claims") or {}, extra={"roles": roles} if roles else None)
        fields: dict[str, Any] = {
            "email": normalize_email(email),
            "email_verified": bool(profile.get("email_verified", False)),
            "disabled": bool(profile.get("disabled", False)),
        }
        if password is not None:
            fields["password"] = validate_password(password, minimum=6)
        if profile.get("uid"):
            fields["uid"] = str(profile["uid"])
        if profile.get("name") is not None:
            fields["display_name"] = profile["name"]
        if profile.get("picture") is not None:
            fields["photo_url"] = profile["picture"]
        record = self._call("create_user", **fields)
        if roles or custom:
            self._call(
                "set_custom_user_claims", record.uid, {**custom, **({"roles": roles} if roles else {})}
            )
            record = self._call("get_user", record.uid)
        return _user_from_record(record)

    def update_user(self, uid: str, **changes: Any) -> User:
        unknown = set(changes) - _CHANGES
        if unknown:
            raise InvalidInputError(f"unknown user field(s): {', '.join(sorted(unknown))}")
        fields: dict[str, Any] = {}
        if "email" in changes:
            fields["email"] = normalize_email(changes["email"])
        if "password" in changes:
            fields["password"] = validate_password(changes["password"], minimum=6)
        for ours, theirs in (("name", "display_name"), ("picture", "photo_url")):
            if ours in changes:
                fields[theirs] = changes[ours]
        for name in ("email_verified", "disabled"):
            if name in changes:
                fields[name] = bool(changes[name])
        if "roles" in changes or "claims" in changes:
            fields["custom_claims"] = self._custom_claims(uid, changes.get("claims"), changes.get("roles"))
        try:
            return _user_from_record(self._call("update_user", uid, **fields))
        finally:
            self._forget(uid)

    def _custom_claims(
        self, uid: str, claims: dict[str, Any] | None, roles: Sequence[str] | None
    ) -> dict[str, Any]:
        if claims is not None:
            validate_claims(claims)
        new_roles = validate_roles(roles) if roles is not None else None
        current = self.get_user(uid)
        final_roles = new_roles if new_roles is not None else current.roles
        final_claims = claims if claims is not None else current.claims
        extra = {"roles": final_roles} if final_roles else None
        return {**validate_claims(final_claims, extra=extra), **(extra or {})}

    def delete_user(self, uid: str) -> None:
        try:
            self._call("delete_user", uid)
        finally:
            self._forget(uid)

    def set_claims(self, uid: str, claims: dict[str, Any]) -> User:
        validate_claims(claims)
        return self.update_user(uid, claims=claims)

    def set_roles(self, uid: str, roles: Sequence[str]) -> User:
        return self.update_user(uid, roles=validate_roles(roles))

    def revoke_tokens(self, uid: str) -> None:
        """Revoke the user's refresh tokens; ID tokens then fail verification with ``check_revoked``."""
        try:
            self._call("revoke_refresh_tokens", uid)
        finally:
            self._forget(uid)
        _log.info("revoked the tokens of Firebase user %s", uid)
