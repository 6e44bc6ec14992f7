"""Token verification: TauseStack's auth backends beside raw PyJWT ``decode`` with the same key.

Run: ``python tools/bench/bench_auth.py`` (about 20 s). Prints, per case, the median time per
verification over interleaved batches and the ratio TauseStack / PyJWT:

* ``verify``: a token never seen before, keys cached (local backend, user state cached, the
  verified-token cache turned off), against ``jwt.decode(token, key, algorithms=[alg],
  audience=..., issuer=...)`` on the same token and public key;
* ``seen before``: the same token again (the verified-token cache answers; still checks expiry
  and revocation) against the same ``jwt.decode``;
* ``supabase verify``: the Supabase backend (JWKS keys cached, no user check) on ES256.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tools.bench.ratios import Result, compare, report

NUMBER = 300
BATCHES = 15
RESULTS: list[Result] = []


def local_cases(algorithm: str) -> None:
    from tausestack.auth.backends.local import LocalAuthBackend

    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    fresh = LocalAuthBackend(algorithm=algorithm, token_cache=0, user_cache=3600, password_hasher=hasher)
    fresh.create_user(f"bench-{algorithm}@example.com", "correct horse battery")
    token = fresh.sign_in(f"bench-{algorithm}@example.com", "correct horse battery").access_token
    public_key = fresh.signing_key.private_key.public_key()
    cached = LocalAuthBackend(algorithm=algorithm, user_cache=3600, password_hasher=hasher)
    fresh.verify_token(token)
    cached.verify_token(token)

    def raw() -> Any:
        return jwt.decode(
            token, public_key, algorithms=[algorithm], audience=fresh.audience, issuer=fresh.issuer
        )

    target = 0.75 if algorithm == "RS256" else 1.10
    for name, ours, goal in (
        (f"local {algorithm} verify (keys cached)", lambda: fresh.verify_token(token), target),
        (f"local {algorithm} seen before", lambda: cached.verify_token(token), 0.10),
    ):
        RESULTS.append(compare(name, ours=ours, raw=raw, number=NUMBER, batches=BATCHES, target=goal))
    fresh.close()
    cached.close()


def supabase_case() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from tausestack.auth._keys import VerificationKey
    from tausestack.auth.backends.supabase import SupabaseAuthBackend

    private = ec.generate_private_key(ec.SECP256R1())
    backend = SupabaseAuthBackend(url="https://bench.supabase.co", token_cache=0)
    assert backend.jwks is not None
    # keys as a JWKS fetch would leave them (this bench makes no network call)
    backend.jwks._keys = {"k1": VerificationKey(algorithm="ES256", key=private.public_key(), kid="k1")}
    backend.jwks._fetched_at = time.monotonic()
    backend.jwks._attempted_at = time.monotonic()
    now = int(time.time())
    issuer = "https://bench.supabase.co/auth/v1"
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": "authenticated",
        "sub": "u1",
        "iat": now,
        "exp": now + 3600,
    }
    token = jwt.encode(claims, private, algorithm="ES256", headers={"kid": "k1"})

    def raw() -> Any:
        return jwt.decode(
            token, private.public_key(), algorithms=["ES256"], audience="authenticated", issuer=issuer
        )

    RESULTS.append(
        compare(
            "supabase ES256 verify (JWKS cached)",
            ours=lambda: backend.verify_token(token),
            raw=raw,
            number=NUMBER,
            batches=BATCHES,
            target=1.10,
        )
    )


def main() -> None:
    print(
        f"python {sys.version.split()[0]}, pyjwt {jwt.__version__}; {BATCHES} interleaved batches of {NUMBER}"
    )
    with tempfile.TemporaryDirectory() as directory:
        os.chdir(directory)
        for algorithm in ("RS256", "ES256"):
            local_cases(algorithm)
        supabase_case()
    report(RESULTS, title="token verification: TauseStack / raw PyJWT decode (same token, same key)")


if __name__ == "__main__":
    main()
