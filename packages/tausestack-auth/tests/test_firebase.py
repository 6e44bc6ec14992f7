"""FirebaseAuthBackend on the Firebase Auth emulator (started once per session by the shared fixture)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tausestack import auth
from tausestack.auth import AuthorizedUser, UserExistsError, UserNotFoundError
from tausestack.auth.backends.firebase import FirebaseAuthBackend
from tausestack.core import AuthenticationError, ConfigurationError, InvalidInputError
from tausestack.core.testing import FirebaseEmulator

pytestmark = pytest.mark.firebase
PASSWORD = "correct horse battery"


@pytest.fixture
def firebase(firebase_emulator: FirebaseEmulator) -> Iterator[FirebaseAuthBackend]:
    backend = FirebaseAuthBackend(firebase_emulator.project_id, check_revoked=True)
    yield backend
    backend.close()


def id_token(emulator: FirebaseEmulator, email: str = "ada@example.com") -> str:
    return str(emulator.sign_in(email, PASSWORD)["idToken"])


def test_create_sign_in_verify_and_delete(
    firebase: FirebaseAuthBackend, firebase_emulator: FirebaseEmulator
) -> None:
    user = firebase.create_user(
        "Ada@Example.com", PASSWORD, name="Ada", roles=["admin"], claims={"plan": "pro"}
    )
    assert (user.email, user.name, user.roles, user.claims) == (
        "ada@example.com",
        "Ada",
        ["admin"],
        {"plan": "pro"},
    )
    assert firebase.get_user(user.uid) == user
    assert firebase.get_user_by_email("ada@example.com").uid == user.uid
    verified = firebase.verify_token(id_token(firebase_emulator))
    assert verified.uid == user.uid
    assert verified.roles == ["admin"]
    assert verified.claims == {"plan": "pro"}
    assert verified.provider == "password"
    firebase.delete_user(user.uid)
    with pytest.raises(UserNotFoundError):
        firebase.get_user(user.uid)


def test_through_fastapi(firebase: FirebaseAuthBackend, firebase_emulator: FirebaseEmulator) -> None:
    user = firebase.create_user("ada@example.com", PASSWORD)
    auth.configure(firebase)
    app = FastAPI()

    @app.get("/me")
    def me(current: AuthorizedUser) -> dict[str, str]:
        return {"uid": current.uid}

    client = TestClient(app, raise_server_exceptions=False)
    token = id_token(firebase_emulator)
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).json() == {"uid": user.uid}
    # the emulator's ID tokens are unsigned, so firebase-admin skips signature checks against it:
    # forged signatures are covered for the JWT verifiers in test_attacks.py, here only the rest
    for bad in ("x", "a.b.c", "e30." * 3, "a.b.c.d", "a" * 1_000_000, token.replace(".", "!", 1)):
        assert client.get("/me", headers={"Authorization": f"Bearer {bad}"}).status_code == 401


def test_roles_and_claims(firebase: FirebaseAuthBackend, firebase_emulator: FirebaseEmulator) -> None:
    user = firebase.create_user("ada@example.com", PASSWORD)
    assert firebase.set_roles(user.uid, ["editor"]).roles == ["editor"]
    assert firebase.set_claims(user.uid, {"tier": "gold"}).claims == {"tier": "gold"}
    assert firebase.get_user(user.uid).roles == ["editor"]  # claims kept the roles
    verified = firebase.verify_token(id_token(firebase_emulator))  # a new token carries them
    assert (verified.roles, verified.claims) == (["editor"], {"tier": "gold"})


def test_claims_are_validated_before_the_call(firebase: FirebaseAuthBackend) -> None:
    user = firebase.create_user("ada@example.com", PASSWORD)
    for claims in ({"sub": "x"}, {"firebase": 1}, {"roles": ["x"]}, {"big": "x" * 1000}, {"f": object()}):
        with pytest.raises(InvalidInputError):
            firebase.set_claims(user.uid, claims)  # type: ignore[arg-type]
    assert firebase.get_user(user.uid).claims == {}


def test_disabled_user_is_401(firebase: FirebaseAuthBackend, firebase_emulator: FirebaseEmulator) -> None:
    user = firebase.create_user("ada@example.com", PASSWORD)
    token = id_token(firebase_emulator)
    firebase.update_user(user.uid, disabled=True)
    with pytest.raises(AuthenticationError, match="disabled"):
        firebase.verify_token(token)


def test_revoked_token_is_401_with_check_revoked(
    firebase: FirebaseAuthBackend, firebase_emulator: FirebaseEmulator
) -> None:
    import time

    user = firebase.create_user("ada@example.com", PASSWORD)
    token = id_token(firebase_emulator)
    assert firebase.verify_token(token).uid == user.uid
    time.sleep(1.1)  # Firebase compares revocation time and token iat in whole seconds
    firebase.revoke_tokens(user.uid)
    with pytest.raises(AuthenticationError, match="revoked"):
        firebase.verify_token(token)


def test_deleted_user_is_401(firebase: FirebaseAuthBackend, firebase_emulator: FirebaseEmulator) -> None:
    user = firebase.create_user("ada@example.com", PASSWORD)
    token = id_token(firebase_emulator)
    firebase.delete_user(user.uid)
    with pytest.raises(AuthenticationError):
        firebase.verify_token(token)


def test_token_for_another_project_is_401(firebase_emulator: FirebaseEmulator) -> None:
    mine = FirebaseAuthBackend(firebase_emulator.project_id)
    mine.create_user("ada@example.com", PASSWORD)
    token = id_token(firebase_emulator)
    other = FirebaseAuthBackend("demo-other-project")
    with pytest.raises(AuthenticationError):
        other.verify_token(token)
    mine.close()
    other.close()


def test_duplicate_email(firebase: FirebaseAuthBackend) -> None:
    firebase.create_user("ada@example.com", PASSWORD)
    with pytest.raises(UserExistsError):
        firebase.create_user("ada@example.com", PASSWORD)


@pytest.mark.anyio
async def test_async_twins(firebase: FirebaseAuthBackend, firebase_emulator: FirebaseEmulator) -> None:
    user = await firebase.acreate_user("ada@example.com", PASSWORD)
    verified = await firebase.averify_token(id_token(firebase_emulator))
    assert verified.uid == user.uid
    await firebase.aset_roles(user.uid, ["a"])
    assert (await firebase.aget_user(user.uid)).roles == ["a"]
    await firebase.adelete_user(user.uid)
    await firebase.ahealth()


def test_configured_by_url_and_credentials(firebase_emulator: FirebaseEmulator, tmp_path: Path) -> None:
    backend = auth.configure(f"firebase://{firebase_emulator.project_id}?check_revoked=true&leeway=5s")
    assert isinstance(backend, FirebaseAuthBackend)
    assert backend.check_revoked
    assert auth.describe() == f"firebase://{firebase_emulator.project_id}?check_revoked=true"
    backend.health()
    bad = tmp_path / "sa.json"
    bad.write_text(json.dumps({"type": "service_account", "private_key": "-----BEGIN nonsense"}))
    with pytest.raises(ConfigurationError, match="not a service-account key"):
        _ = FirebaseAuthBackend("p", credentials=str(bad)).app
    secret_json = json.dumps({"type": "service_account", "private_key": "hunter2-secret-material"})
    with pytest.raises(ConfigurationError) as info:
        _ = FirebaseAuthBackend("p", credentials=secret_json).app
    assert "hunter2" not in str(info.value)


def test_import_does_not_load_firebase_admin() -> None:
    import subprocess

    code = "import sys, tausestack.auth; assert 'firebase_admin' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
