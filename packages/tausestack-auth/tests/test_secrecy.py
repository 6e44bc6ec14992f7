"""No secret, token or password hash in logs, reprs or errors; no I/O per request once warm."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tausestack import auth
from tausestack.auth import AuthorizedUser
from tausestack.auth.backends.local import LocalAuthBackend
from tausestack.core import AuthenticationError

PASSWORD = "correct horse battery"


def test_nothing_secret_in_logs_reprs_or_errors(
    local: LocalAuthBackend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tausestack")
    user = local.create_user("ada@example.com", PASSWORD)
    pair = local.sign_in("ada@example.com", PASSWORD)
    record = local.store.get(uid=user.uid)
    password_hash = record.password_hash
    assert password_hash
    texts: list[str] = [repr(local), str(local), repr(pair), str(pair), repr(record), repr(local.signing_key)]
    texts.append(repr(local.get_user(user.uid)))
    auth.configure(local)
    app = FastAPI()

    @app.get("/me")
    def me(current: AuthorizedUser) -> dict[str, str]:
        return {"uid": current.uid}

    client = TestClient(app)
    forged = pair.access_token[:-4] + "AAAA"
    texts.append(client.get("/me", headers={"Authorization": f"Bearer {forged}"}).text)
    for bad in (forged, pair.access_token + ".x", "x" * 100):
        with pytest.raises(AuthenticationError) as info:
            local.verify_token(bad)
        texts.append(str(info.value))
    with pytest.raises(AuthenticationError) as info:
        local.sign_in("ada@example.com", "wrong " + PASSWORD)
    texts.append(str(info.value))
    local.refresh(pair.refresh_token)
    with pytest.raises(AuthenticationError) as info:
        local.refresh(pair.refresh_token)  # reuse: logged as a warning
    texts.append(str(info.value))
    texts.extend(r.getMessage() for r in caplog.records)
    assert any("reuse" in r.getMessage() for r in caplog.records)
    body = "\n".join(texts)
    private_pem = local.signing_key.private_key.private_bytes(
        *_pkcs8_pem()  # the key material itself
    ).decode()
    for secret in (
        pair.access_token,
        pair.refresh_token,
        pair.refresh_token.split(".")[1],
        forged,
        password_hash,
        PASSWORD,
        private_pem.splitlines()[1],
    ):
        assert secret not in body


def _pkcs8_pem() -> tuple[object, object, object]:
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()


def test_zero_database_queries_per_request_once_warm(local: LocalAuthBackend) -> None:
    local.create_user("ada@example.com", PASSWORD)
    tokens = [local.sign_in("ada@example.com", PASSWORD).access_token for _ in range(3)]
    auth.configure(local)
    app = FastAPI()

    @app.get("/me")
    async def me(current: AuthorizedUser) -> dict[str, str]:
        return {"uid": current.uid}

    client = TestClient(app)
    assert client.get("/me", headers={"Authorization": f"Bearer {tokens[0]}"}).status_code == 200
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(local.store.engine, "before_cursor_execute", count)
    try:
        for token in tokens * 10:
            assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        sa.event.remove(local.store.engine, "before_cursor_execute", count)
    assert statements == []


def test_token_cache_is_bounded(local: LocalAuthBackend, fast_hasher: PasswordHasher) -> None:
    small = LocalAuthBackend(
        database="sqlite:///small.db", key=local.signing_key, token_cache=3, password_hasher=fast_hasher
    )
    small.create_user("ada@example.com", PASSWORD)
    for _ in range(6):
        small.verify_token(small.sign_in("ada@example.com", PASSWORD).access_token)
    assert len(small._tokens) == 3
    small.close()
