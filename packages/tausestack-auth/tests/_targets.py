"""Every backend that verifies JWTs, wrapped the same way for the token attack table."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tausestack.auth import AuthBackend
from tausestack.auth.backends._local_keys import SigningKey

from ._servers import RECORDED_NOT_FOUND, RECORDED_USER, ReplayServer

JWKS_PATH = "/auth/v1/.well-known/jwks.json"
HS_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long"


@dataclass
class Target:
    """A backend plus what an attacker-simulating test needs to forge tokens against it."""

    name: str
    backend: AuthBackend
    algorithm: str
    signing_key: Any  # private key object, or bytes for HMAC
    kid: str | None
    public_pem: bytes  # what an attacker can see (the public key, or for HS256 a public key of ours)
    base_claims: Callable[[], dict[str, Any]]
    disable: Callable[[], None]
    delete: Callable[[], None]
    revoke: Callable[[], None]
    extras: dict[str, Any] = field(default_factory=dict)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        claims = self.base_claims()
        for name, value in overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def sign(
        self, claims: dict[str, Any] | None = None, *, headers: dict[str, Any] | None = None, key: Any = None
    ) -> str:
        header = {"kid": self.kid} if self.kid is not None else {}
        header.update(headers or {})
        header = {name: value for name, value in header.items() if value is not None}
        return jwt.encode(
            claims or self.claims(), key or self.signing_key, algorithm=self.algorithm, headers=header
        )

    def attacker_key(self) -> Any:
        if self.algorithm.startswith("HS"):
            return b"an-attacker-secret-that-is-long-enough!!"
        return _key("attacker-" + self.algorithm)


@functools.cache
def _key(name: str) -> Any:
    """Keys made once per run (RSA generation is slow): the attacker's, and the Supabase projects'."""
    if "ES256" in name:
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(private_key: Any) -> bytes:
    return bytes(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def local_target(backend: Any, key: SigningKey) -> Target:
    user = backend.create_user("ada@example.com", "correct horse battery", roles=["admin"])

    def claims() -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": backend.issuer,
            "aud": backend.audience,
            "sub": user.uid,
            "iat": now,
            "exp": now + 300,
            "ver": 0,
            "email": user.email,
            "roles": ["admin"],
        }

    return Target(
        name=f"local-{key.algorithm}",
        backend=backend,
        algorithm=key.algorithm,
        signing_key=key.private_key,
        kid=key.kid,
        public_pem=_pem(key.private_key),
        base_claims=claims,
        disable=lambda: backend.update_user(user.uid, disabled=True),
        delete=lambda: backend.delete_user(user.uid),
        revoke=lambda: backend.revoke_tokens(user.uid),
    )


def supabase_target(server: ReplayServer, algorithm: str) -> Target:
    from tausestack.auth.backends.supabase import SupabaseAuthBackend

    uid = RECORDED_USER["id"]
    user_path = f"/auth/v1/admin/users/{uid}"
    server.routes[("GET", user_path)] = (200, RECORDED_USER)
    server.routes[("PUT", user_path)] = (200, RECORDED_USER)
    if algorithm == "HS256":
        private: Any = b""
        signing: Any = HS_SECRET.encode()
        kid = None
        backend = SupabaseAuthBackend(
            url=server.url, jwt_secret=HS_SECRET, service_key="service-role-key-xyz", check_user=True
        )
        public = _pem(_key("supabase-public-RS256"))
    else:
        private = _key(f"supabase-{algorithm}")
        jwk = jwt.algorithms.get_default_algorithms()[algorithm].to_jwk(private.public_key(), as_dict=True)
        kid = f"kid-{algorithm.lower()}"
        jwk.update({"kid": kid, "alg": algorithm, "use": "sig"})
        server.routes[("GET", JWKS_PATH)] = (200, {"keys": [jwk]})
        signing = private
        public = _pem(private)
        backend = SupabaseAuthBackend(url=server.url, service_key="service-role-key-xyz", check_user=True)

    def claims() -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": f"{server.url}/auth/v1",
            "aud": "authenticated",
            "sub": uid,
            "iat": now,
            "exp": now + 300,
            "email": "ada@example.com",
            "role": "authenticated",
            "app_metadata": {"provider": "email", "roles": ["admin"]},
            "user_metadata": {"name": "Ada Lovelace"},
            "session_id": "5b9c1f7e-1111-4222-8333-944455556666",
        }

    def disable() -> None:
        server.routes[("GET", user_path)] = (200, {**RECORDED_USER, "banned_until": "2999-01-01T00:00:00Z"})

    def delete() -> None:
        server.routes[("GET", user_path)] = (404, RECORDED_NOT_FOUND)

    return Target(
        name=f"supabase-{algorithm}",
        backend=backend,
        algorithm=algorithm,
        signing_key=signing,
        kid=kid,
        public_pem=public,
        base_claims=claims,
        disable=disable,
        delete=delete,
        revoke=lambda: backend.revoke_tokens(uid),
    )
