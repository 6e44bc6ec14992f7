"""The token attack table: every forged, broken or stale token is a 401 (never a 500).

Each case runs against every backend that verifies JWTs (the ``target`` fixture: local RS256
and ES256, Supabase by JWKS with ES256 and RS256, Supabase by the legacy HS256 secret), through
a real FastAPI app and TestClient, and directly through ``verify_token``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tausestack import auth
from tausestack.auth import AuthorizedUser
from tausestack.core import AuthenticationError

from ._targets import Target


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: object) -> str:
    return b64(json.dumps(value).encode())


@pytest.fixture
def client(target: Target) -> Iterator[TestClient]:
    auth.configure(target.backend)
    app = FastAPI()

    @app.get("/me")
    def me(user: AuthorizedUser) -> dict[str, str]:
        return {"uid": user.uid}

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def refused(client: TestClient, target: Target, token: str) -> None:
    """The token is a 401 with a Bearer challenge through FastAPI, and an AuthenticationError directly."""
    response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    with pytest.raises(AuthenticationError):
        target.backend.verify_token(token)


def test_the_valid_token_is_accepted(client: TestClient, target: Target) -> None:
    response = client.get("/me", headers={"Authorization": f"Bearer {target.sign()}"})
    assert response.status_code == 200
    assert response.json()["uid"] == target.claims()["sub"]


def test_expired(client: TestClient, target: Target) -> None:
    now = int(time.time())
    refused(client, target, target.sign(target.claims(iat=now - 3600, exp=now - 60)))


def test_expiry_within_leeway_is_accepted(client: TestClient, target: Target) -> None:
    now = int(time.time())
    token = target.sign(target.claims(iat=now - 3600, exp=now - 3))
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_not_yet_valid(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(target.claims(nbf=int(time.time()) + 120)))


def test_issued_in_the_future(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(target.claims(iat=int(time.time()) + 120)))


def test_missing_expiry(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(target.claims(exp=None)))


def test_missing_subject(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(target.claims(sub=None)))


def test_wrong_issuer(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(target.claims(iss="https://evil.example.com/auth/v1")))


def test_wrong_audience(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(target.claims(aud="someone-else")))


def test_alg_none(client: TestClient, target: Target) -> None:
    header = segment({"alg": "none", "typ": "JWT", "kid": target.kid})
    unsigned = f"{header}.{segment(target.claims())}"
    refused(client, target, f"{unsigned}.")
    refused(client, target, f"{unsigned}.{b64(b'x' * 32)}")


def test_hs256_signed_with_the_public_key(client: TestClient, target: Target) -> None:
    """Algorithm confusion: an HMAC "signed" with the published public key."""
    header = segment({"alg": "HS256", "typ": "JWT", "kid": target.kid})
    signing_input = f"{header}.{segment(target.claims())}"
    signature = hmac.new(target.public_pem, signing_input.encode(), hashlib.sha256).digest()
    refused(client, target, f"{signing_input}.{b64(signature)}")


def test_tampered_payload(client: TestClient, target: Target) -> None:
    header, _, signature = target.sign().split(".")
    forged = segment(target.claims(sub="someone-else", roles=["owner"]))
    refused(client, target, f"{header}.{forged}.{signature}")


def test_tampered_signature(client: TestClient, target: Target) -> None:
    header, payload, signature = target.sign().split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    refused(client, target, f"{header}.{payload}.{flipped}")


def test_truncated_signature(client: TestClient, target: Target) -> None:
    header, payload, signature = target.sign().split(".")
    refused(client, target, f"{header}.{payload}.{signature[:-8]}")


def test_unknown_kid(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(headers={"kid": "not-a-known-key"}, key=target.attacker_key()))


def test_missing_kid_signed_by_another_key(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(headers={"kid": None}, key=target.attacker_key()))


def test_missing_kid(client: TestClient, target: Target) -> None:
    """A token without ``kid`` is refused wherever keys are published with ids (JWKS).

    Legacy HS256 Supabase tokens carry no ``kid`` by design (one shared secret verifies them), so
    there the same token, correctly signed, must be accepted: refusing it would lock users out.
    """
    token = target.sign(headers={"kid": None})
    if target.algorithm.startswith("HS"):
        assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        return
    refused(client, target, token)


def test_right_kid_wrong_key(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(key=target.attacker_key()))


def test_malformed_base64(client: TestClient, target: Target) -> None:
    header, payload, signature = target.sign().split(".")
    refused(client, target, f"{header}.{payload}!.{signature}")
    refused(client, target, f"{header[:-1]}.{payload}.{signature}")  # impossible base64 length


def test_header_is_not_json(client: TestClient, target: Target) -> None:
    _, payload, signature = target.sign().split(".")
    refused(client, target, f"{b64(b'{not json')}.{payload}.{signature}")
    refused(client, target, f"{segment([1, 2])}.{payload}.{signature}")


def test_critical_header_extension(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign(headers={"crit": ["exp"]}))


def test_too_many_segments(client: TestClient, target: Target) -> None:
    refused(client, target, target.sign() + ".e30")


def test_too_few_segments(client: TestClient, target: Target) -> None:
    refused(client, target, ".".join(target.sign().split(".")[:2]))


def test_empty_string(client: TestClient, target: Target) -> None:
    response = client.get("/me", headers={"Authorization": "Bearer "})
    assert response.status_code == 401
    with pytest.raises(AuthenticationError):
        target.backend.verify_token("")


def test_not_text(target: Target) -> None:
    for value in (None, b"abc.def.ghi", 42):
        with pytest.raises(AuthenticationError):
            target.backend.verify_token(value)  # type: ignore[arg-type]


def test_one_megabyte_token(client: TestClient, target: Target) -> None:
    huge = target.sign(target.claims(padding="x" * 1_000_000))
    assert len(huge) > 1_000_000
    refused(client, target, huge)


def test_disabled_user(client: TestClient, target: Target) -> None:
    token = target.sign()
    target.disable()
    refused(client, target, token)


def test_deleted_user(client: TestClient, target: Target) -> None:
    token = target.sign()
    target.delete()
    refused(client, target, token)


def test_revoked_after_first_use(client: TestClient, target: Target) -> None:
    token = target.sign(target.claims(iat=int(time.time()) - 5))
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    target.revoke()
    refused(client, target, token)
