"""SupabaseAuthBackend: verification against a JWKS served by a local HTTP server, and the admin
calls against *recorded* GoTrue responses replayed by that server (no GoTrue server can run on
this machine, so the admin tests check what we send and how we read GoTrue's recorded answers)."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tausestack import auth
from tausestack.auth import AuthorizedUser, UserExistsError, UserNotFoundError
from tausestack.auth.backends.supabase import SupabaseAuthBackend
from tausestack.core import AuthenticationError, ConfigurationError, InvalidInputError

from ._servers import RECORDED_EMAIL_EXISTS, RECORDED_NOT_FOUND, RECORDED_USER, ReplayServer
from ._targets import HS_SECRET, JWKS_PATH, Target, supabase_target

UID = RECORDED_USER["id"]
USER_PATH = f"/auth/v1/admin/users/{UID}"


@pytest.fixture
def es(replay: ReplayServer) -> Target:
    return supabase_target(replay, "ES256")


def test_user_from_a_verified_token(es: Target) -> None:
    user = es.backend.verify_token(es.sign())
    assert user.uid == UID
    assert user.email == "ada@example.com"
    assert user.roles == ["admin"]
    assert user.name == "Ada Lovelace"
    assert user.provider == "email"
    assert user.claims["session_id"]
    assert user.claims["role"] == "authenticated"


def test_keys_are_cached_zero_network_calls_per_request(replay: ReplayServer) -> None:
    target = supabase_target(replay, "ES256")
    target.backend.check_user = False  # stateless verification: the JWKS is the only network use
    auth.configure(target.backend)
    app = FastAPI()

    @app.get("/me")
    async def me(user: AuthorizedUser) -> dict[str, str]:
        return {"uid": user.uid}

    client = TestClient(app)
    tokens = [target.sign(target.claims(jti=str(n))) for n in range(20)]
    assert client.get("/me", headers={"Authorization": f"Bearer {tokens[0]}"}).status_code == 200
    requests_after_warm_up = len(replay.requests)
    assert replay.count(JWKS_PATH) == 1
    for token in tokens * 3:
        assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert len(replay.requests) == requests_after_warm_up


def test_unknown_kid_refetches_once_then_is_rate_limited(replay: ReplayServer) -> None:
    target = supabase_target(replay, "ES256")
    backend = target.backend
    assert isinstance(backend, SupabaseAuthBackend)
    assert backend.verify_token(target.sign())
    # the project rotates to a new key: the first token with its kid triggers one refetch
    new_key = ec.generate_private_key(ec.SECP256R1())
    jwk = jwt.algorithms.ECAlgorithm.to_jwk(new_key.public_key(), as_dict=True)
    jwk.update({"kid": "rotated", "alg": "ES256"})
    old = replay.routes[("GET", JWKS_PATH)][1]["keys"]
    replay.routes[("GET", JWKS_PATH)] = (200, {"keys": [*old, jwk]})
    assert backend.jwks is not None
    backend.jwks.min_refresh = 0
    assert backend.verify_token(target.sign(headers={"kid": "rotated"}, key=new_key)).uid == UID
    assert replay.count(JWKS_PATH) == 2
    # forged kids cannot make us hammer the endpoint
    backend.jwks.min_refresh = 60
    for n in range(5):
        with pytest.raises(AuthenticationError):
            backend.verify_token(target.sign(headers={"kid": f"forged-{n}"}, key=new_key))
    assert replay.count(JWKS_PATH) == 2


@pytest.mark.anyio
async def test_async_verification_with_cached_keys(replay: ReplayServer) -> None:
    target = supabase_target(replay, "RS256")
    user = await target.backend.averify_token(target.sign())  # fetches keys and user state in a thread
    assert user.uid == UID
    fetched = len(replay.requests)
    assert (await target.backend.averify_token(target.sign(target.claims(jti="2")))).uid == UID
    assert len(replay.requests) == fetched


def test_jwks_unreachable_is_503_not_500(replay: ReplayServer) -> None:
    target = supabase_target(replay, "ES256")
    replay.routes.pop(("GET", JWKS_PATH))
    auth.configure(target.backend)
    app = FastAPI()

    @app.get("/me")
    def me(user: AuthorizedUser) -> dict[str, str]:
        return {"uid": user.uid}

    response = TestClient(app, raise_server_exceptions=False).get(
        "/me", headers={"Authorization": f"Bearer {target.sign()}"}
    )
    assert response.status_code == 503


def test_legacy_secret(replay: ReplayServer) -> None:
    target = supabase_target(replay, "HS256")
    assert target.backend.verify_token(target.sign()).uid == UID
    assert replay.count(JWKS_PATH) == 0


def test_no_default_secret() -> None:
    with pytest.raises(ConfigurationError, match="no default secret"):
        SupabaseAuthBackend(url="https://abc.supabase.co", verify="secret")
    with pytest.raises(ConfigurationError, match="no default secret"):
        auth.configure("supabase://abc?verify=both")
    with pytest.raises(ConfigurationError, match="32 bytes"):
        SupabaseAuthBackend(url="https://abc.supabase.co", jwt_secret="short")


def test_url_forms_and_options(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = auth.configure("supabase://abcdefgh")
    assert isinstance(backend, SupabaseAuthBackend)
    assert backend.url == "https://abcdefgh.supabase.co"
    assert backend.jwks is not None
    assert backend.jwks.url == "https://abcdefgh.supabase.co/auth/v1/.well-known/jwks.json"
    monkeypatch.setenv("SUPABASE_JWT_SECRET", HS_SECRET)
    legacy = auth.configure("supabase://?url=http://127.0.0.1:54321")
    assert isinstance(legacy, SupabaseAuthBackend)
    assert legacy.verify == "secret"
    assert HS_SECRET not in repr(legacy)
    assert HS_SECRET not in auth.describe()
    with pytest.raises(ConfigurationError, match="unknown option"):
        auth.configure("supabase://abc?jwt_secrte=x")


def test_admin_needs_the_service_key() -> None:
    backend = SupabaseAuthBackend(url="https://abc.supabase.co")
    with pytest.raises(ConfigurationError, match="service role key"):
        backend.get_user(UID)


# -- admin calls, against recorded GoTrue responses ----------------------------------------------


@pytest.fixture
def admin(replay: ReplayServer) -> SupabaseAuthBackend:
    return SupabaseAuthBackend(url=replay.url, service_key="service-role-key-xyz")


def test_get_user(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("GET", USER_PATH)] = (200, RECORDED_USER)
    user = admin.get_user(UID)
    assert (user.uid, user.email, user.email_verified, user.roles) == (
        UID,
        "ada@example.com",
        True,
        ["admin"],
    )
    assert user.claims == {"plan": "pro"}
    assert not user.disabled
    method, _, _ = replay.requests[-1]
    assert method == "GET"


def test_get_missing_user(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("GET", USER_PATH)] = (404, RECORDED_NOT_FOUND)
    with pytest.raises(UserNotFoundError):
        admin.get_user(UID)
    with pytest.raises(KeyError):
        admin.get_user("not-a-uuid")


def test_get_user_by_email(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("GET", "/auth/v1/admin/users")] = (200, {"users": [RECORDED_USER], "aud": "authenticated"})
    assert admin.get_user_by_email("ADA@example.com").uid == UID
    with pytest.raises(UserNotFoundError):
        admin.get_user_by_email("bob@example.com")


def test_create_user_sends_gotrue_attributes(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("POST", "/auth/v1/admin/users")] = (200, RECORDED_USER)
    user = admin.create_user(
        "Ada@Example.com", "correct horse", name="Ada", roles=["admin"], claims={"plan": "pro"}
    )
    assert user.uid == UID
    _, _, body = replay.requests[-1]
    assert body["email"] == "ada@example.com"
    assert body["app_metadata"] == {"plan": "pro", "roles": ["admin"]}
    assert body["user_metadata"] == {"name": "Ada"}


def test_create_duplicate(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("POST", "/auth/v1/admin/users")] = (422, RECORDED_EMAIL_EXISTS)
    with pytest.raises(UserExistsError):
        admin.create_user("ada@example.com")


def test_bad_input_is_refused_before_any_call(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    with pytest.raises(InvalidInputError):
        admin.create_user("ada@example.com", claims={"roles": ["x"]})
    with pytest.raises(InvalidInputError):
        admin.create_user("not-an-email")
    with pytest.raises(InvalidInputError):
        admin.set_claims(UID, {"blob": "x" * 2000})
    assert replay.requests == []


def test_disable_is_a_ban(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("PUT", USER_PATH)] = (200, {**RECORDED_USER, "banned_until": "2999-01-01T00:00:00Z"})
    assert admin.update_user(UID, disabled=True).disabled
    assert replay.requests[-1][2] == {"ban_duration": "876000h"}


def test_set_roles_and_claims_keep_each_other(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("GET", USER_PATH)] = (200, RECORDED_USER)
    replay.routes[("PUT", USER_PATH)] = (200, RECORDED_USER)
    admin.set_roles(UID, ["editor"])
    assert replay.requests[-1][2] == {"app_metadata": {"roles": ["editor"]}}
    admin.set_claims(UID, {"tier": "gold"})
    assert replay.requests[-1][2] == {"app_metadata": {"plan": None, "tier": "gold", "roles": ["admin"]}}


def test_delete_user(admin: SupabaseAuthBackend, replay: ReplayServer) -> None:
    replay.routes[("DELETE", USER_PATH)] = (200, {})
    admin.delete_user(UID)
    assert replay.requests[-1][0] == "DELETE"


def test_revoke_marks_app_metadata_and_refuses_older_tokens(replay: ReplayServer) -> None:
    target = supabase_target(replay, "ES256")
    backend = target.backend
    token = target.sign(target.claims(iat=int(time.time()) - 5))
    assert backend.verify_token(token).uid == UID
    backend.revoke_tokens(UID)
    assert "tausestack_revoked_at" in replay.requests[-1][2]["app_metadata"]
    with pytest.raises(AuthenticationError, match="revoked"):
        backend.verify_token(token)
