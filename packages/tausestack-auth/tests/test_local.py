"""The local backend on SQLite and on PostgreSQL: users, sign-in, refresh rotation, revocation."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from tausestack import auth
from tausestack.auth import InvalidClaimsError, UserExistsError, UserNotFoundError
from tausestack.auth.backends._local_keys import SigningKey
from tausestack.auth.backends.local import LocalAuthBackend
from tausestack.core import AuthenticationError, ConfigurationError, InvalidInputError

PASSWORD = "correct horse battery"


def test_create_get_update_delete(local: LocalAuthBackend) -> None:
    user = local.create_user("Ada@Example.com", PASSWORD, name="Ada", roles=["admin"], claims={"plan": "pro"})
    assert user.email == "ada@example.com"
    assert user.provider == "password"
    assert local.get_user(user.uid) == user
    assert local.get_user_by_email("ADA@example.com") == user
    updated = local.update_user(user.uid, name="Ada L.", email_verified=True)
    assert (updated.name, updated.email_verified) == ("Ada L.", True)
    assert local.set_roles(user.uid, ["editor", "editor"]).roles == ["editor"]
    assert local.set_claims(user.uid, {"plan": "team"}).claims == {"plan": "team"}
    local.delete_user(user.uid)
    with pytest.raises(UserNotFoundError):
        local.get_user(user.uid)
    with pytest.raises(KeyError):
        local.delete_user(user.uid)


def test_duplicate_email_is_a_conflict(local: LocalAuthBackend) -> None:
    local.create_user("ada@example.com")
    with pytest.raises(UserExistsError):
        local.create_user("ADA@example.com")


@pytest.mark.parametrize(
    ("email", "password", "profile"),
    [
        ("not-an-email", None, {}),
        ("ada@example.com", "short", {}),
        ("ada@example.com", None, {"roles": "admin"}),
        ("ada@example.com", None, {"claims": {"roles": ["admin"]}}),
        ("ada@example.com", None, {"claims": {"big": "x" * 1001}}),
        ("ada@example.com", None, {"claims": {"f": float("nan")}}),
        ("ada@example.com", None, {"uid": "../etc"}),
        ("ada@example.com", None, {"favourite_colour": "blue"}),
        # control characters never reach the database (PostgreSQL refuses NUL in text columns)
        ("a\x00b@example.com", "long-enough-password", {}),
        ("ada@exa\nmple.com", None, {}),
        ("ada@example.com", None, {"name": "Ada\x00Lovelace"}),
        ("ada@example.com", None, {"picture": 42}),
        ("ada@example.com", None, {"name": "x" * 257}),
        ("ada@example.com", None, {"roles": ["ad\x00min"]}),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    local: LocalAuthBackend, email: str, password: str | None, profile: dict[str, object]
) -> None:
    with pytest.raises(InvalidInputError):
        local.create_user(email, password, **profile)
    with pytest.raises(UserNotFoundError):
        local.get_user_by_email("ada@example.com")


def test_sign_in_with_a_control_character_is_a_plain_refusal(local: LocalAuthBackend) -> None:
    with pytest.raises(AuthenticationError, match="invalid e-mail or password"):
        local.sign_in("a\x00b@example.com", PASSWORD)


def test_update_refuses_control_characters(local: LocalAuthBackend) -> None:
    user = local.create_user("ada@example.com", name="Ada")
    with pytest.raises(InvalidInputError):
        local.update_user(user.uid, name="A\x00da")
    assert local.get_user(user.uid).name == "Ada"


def test_claims_errors_are_value_errors() -> None:
    assert issubclass(InvalidClaimsError, ValueError)


def test_sign_in_verify_and_refresh_rotation(local: LocalAuthBackend) -> None:
    user = local.create_user("ada@example.com", PASSWORD, roles=["admin"], claims={"plan": "pro"})
    pair = local.sign_in("ada@example.com", PASSWORD)
    assert pair.token_type == "bearer"
    assert pair.expires_in == 900
    verified = local.verify_token(pair.access_token)
    assert verified == user
    assert verified.roles == ["admin"]
    renewed = local.refresh(pair.refresh_token)
    assert renewed.refresh_token != pair.refresh_token
    assert local.verify_token(renewed.access_token).uid == user.uid


def test_refresh_reuse_revokes_the_session(local: LocalAuthBackend) -> None:
    local.create_user("ada@example.com", PASSWORD)
    first = local.sign_in("ada@example.com", PASSWORD)
    other_session = local.sign_in("ada@example.com", PASSWORD)
    second = local.refresh(first.refresh_token)
    with pytest.raises(AuthenticationError, match="already used"):
        local.refresh(first.refresh_token)  # replayed: the whole family is revoked
    with pytest.raises(AuthenticationError, match="revoked"):
        local.refresh(second.refresh_token)
    assert local.refresh(other_session.refresh_token).access_token  # other sessions are unaffected


@pytest.mark.parametrize("token", ["", "x", "a.b.c", "nodot", "a" * 300, "abc.def"])
def test_bad_refresh_tokens(local: LocalAuthBackend, token: str) -> None:
    with pytest.raises(AuthenticationError):
        local.refresh(token)


def test_forged_refresh_secret(local: LocalAuthBackend) -> None:
    local.create_user("ada@example.com", PASSWORD)
    pair = local.sign_in("ada@example.com", PASSWORD)
    token_id = pair.refresh_token.split(".")[0]
    with pytest.raises(AuthenticationError, match="not valid"):
        local.refresh(f"{token_id}.forged")
    assert local.refresh(pair.refresh_token).access_token  # a forgery does not burn the real token


def test_wrong_password_and_unknown_email_look_the_same(local: LocalAuthBackend) -> None:
    local.create_user("ada@example.com", PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        local.sign_in("ada@example.com", "wrong password")
    with pytest.raises(AuthenticationError) as unknown:
        local.sign_in("bob@example.com", PASSWORD)
    with pytest.raises(AuthenticationError):
        local.sign_in("not an email", PASSWORD)
    assert str(wrong.value) == str(unknown.value)


def test_user_without_password_cannot_sign_in(local: LocalAuthBackend) -> None:
    local.create_user("ada@example.com")
    with pytest.raises(AuthenticationError):
        local.sign_in("ada@example.com", "")


def test_revoke_tokens(local: LocalAuthBackend) -> None:
    user = local.create_user("ada@example.com", PASSWORD)
    pair = local.sign_in("ada@example.com", PASSWORD)
    local.verify_token(pair.access_token)  # now in the verified-token cache
    local.revoke_tokens(user.uid)
    with pytest.raises(AuthenticationError, match="revoked"):
        local.verify_token(pair.access_token)
    with pytest.raises(AuthenticationError):
        local.refresh(pair.refresh_token)
    fresh = local.sign_in("ada@example.com", PASSWORD)
    assert local.verify_token(fresh.access_token).uid == user.uid


def test_disabled_and_deleted_users(local: LocalAuthBackend) -> None:
    user = local.create_user("ada@example.com", PASSWORD)
    pair = local.sign_in("ada@example.com", PASSWORD)
    local.verify_token(pair.access_token)
    local.update_user(user.uid, disabled=True)
    with pytest.raises(AuthenticationError):
        local.verify_token(pair.access_token)
    with pytest.raises(AuthenticationError, match="disabled"):
        local.sign_in("ada@example.com", PASSWORD)
    local.update_user(user.uid, disabled=False)
    pair = local.sign_in("ada@example.com", PASSWORD)
    local.delete_user(user.uid)
    with pytest.raises(AuthenticationError, match="no longer exists"):
        local.verify_token(pair.access_token)


def test_password_change_revokes_and_old_password_fails(local: LocalAuthBackend) -> None:
    user = local.create_user("ada@example.com", PASSWORD)
    pair = local.sign_in("ada@example.com", PASSWORD)
    local.update_user(user.uid, password="a brand new one")
    with pytest.raises(AuthenticationError):
        local.verify_token(pair.access_token)
    with pytest.raises(AuthenticationError):
        local.sign_in("ada@example.com", PASSWORD)
    assert local.sign_in("ada@example.com", "a brand new one").access_token


def test_role_changes_apply_to_existing_tokens(local: LocalAuthBackend) -> None:
    user = local.create_user("ada@example.com", PASSWORD)
    pair = local.sign_in("ada@example.com", PASSWORD)
    assert local.verify_token(pair.access_token).roles == []
    local.set_roles(user.uid, ["admin"])
    assert local.verify_token(pair.access_token).roles == ["admin"]


def test_change_made_by_another_process_is_seen_after_user_cache(
    database: str, rs256_key: SigningKey, fast_hasher: PasswordHasher
) -> None:
    here = LocalAuthBackend(database=database, key=rs256_key, password_hasher=fast_hasher, user_cache=0)
    there = LocalAuthBackend(database=database, key=rs256_key, password_hasher=fast_hasher)
    user = there.create_user("ada@example.com", PASSWORD)
    pair = there.sign_in("ada@example.com", PASSWORD)
    assert here.verify_token(pair.access_token).uid == user.uid
    there.revoke_tokens(user.uid)
    with pytest.raises(AuthenticationError):
        here.verify_token(pair.access_token)
    here.close()
    there.close()


@pytest.mark.anyio
async def test_async_twins(local: LocalAuthBackend) -> None:
    user = await local.acreate_user("ada@example.com", PASSWORD)
    pair = await local.asign_in("ada@example.com", PASSWORD)
    assert (await local.averify_token(pair.access_token)).uid == user.uid
    assert (await local.averify_token(pair.access_token)).uid == user.uid  # cached path
    renewed = await local.arefresh(pair.refresh_token)
    assert (await local.aset_roles(user.uid, ["a"])).roles == ["a"]
    await local.arevoke_tokens(user.uid)
    with pytest.raises(AuthenticationError):
        await local.averify_token(renewed.access_token)
    assert (await local.ajwks())["keys"][0]["kid"] == local.signing_key.kid
    await local.adelete_user(user.uid)
    with pytest.raises(UserNotFoundError):
        await local.aget_user(user.uid)
    await local.ahealth()


def test_health(local: LocalAuthBackend) -> None:
    local.health()


# -- configuration, keys, files ------------------------------------------------------------------


def test_zero_configuration_default_in_an_empty_directory() -> None:
    backend = auth.get_backend()
    assert isinstance(backend, LocalAuthBackend)
    backend.create_user("ada@example.com", PASSWORD)
    pair = backend.sign_in("ada@example.com", PASSWORD)
    assert backend.verify_token(pair.access_token).email == "ada@example.com"
    key = Path(".tausestack/auth/signing-key-rs256.pem")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(".tausestack/auth.db").stat().st_mode) == 0o600


def test_key_is_generated_once_per_project_and_reused() -> None:
    first = LocalAuthBackend()
    second = LocalAuthBackend()
    assert first.signing_key.kid == second.signing_key.kid
    elsewhere = LocalAuthBackend(directory="other")
    assert elsewhere.signing_key.kid != first.signing_key.kid


def test_tokens_from_another_project_key_are_refused(
    database: str, rs256_key: SigningKey, fast_hasher: PasswordHasher
) -> None:
    mine = LocalAuthBackend(database=database, key=rs256_key, password_hasher=fast_hasher)
    theirs = LocalAuthBackend(database=database, directory="theirs", password_hasher=fast_hasher)
    mine.create_user("ada@example.com", PASSWORD)
    pair = theirs.sign_in("ada@example.com", PASSWORD)
    with pytest.raises(AuthenticationError):
        mine.verify_token(pair.access_token)


def test_es256_and_key_from_pem_secret(monkeypatch: pytest.MonkeyPatch, es256_key: SigningKey) -> None:
    from cryptography.hazmat.primitives import serialization

    pem = es256_key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    backend = auth.configure(
        f"local://?algorithm=ES256&key={pem.replace(chr(10), '%0A').replace('+', '%2B')}"
    )
    assert isinstance(backend, LocalAuthBackend)
    assert backend.jwks()["keys"][0]["kid"] == es256_key.kid
    assert backend.jwks()["keys"][0]["alg"] == "ES256"
    assert not Path(".tausestack/auth").exists()
    assert "PRIVATE" not in repr(backend)
    assert "PRIVATE" not in auth.describe()


def test_url_options(tmp_path: Path) -> None:
    backend = auth.configure(
        f"local://state?database=sqlite:///{tmp_path}/u.db&access_ttl=5m&leeway=0&user_cache=0&token_cache=0"
    )
    assert isinstance(backend, LocalAuthBackend)
    assert backend.access_ttl == 300
    assert backend.leeway == 0
    assert backend.directory == Path("state")
    with pytest.raises(ConfigurationError, match="unknown option"):
        auth.configure("local://?databse=sqlite://")
    driver = auth.configure("local://?database=sqlite+pysqlite:///driver.db")
    assert isinstance(driver, LocalAuthBackend)
    assert driver.store.url.drivername == "sqlite+pysqlite"  # "+" survives the query string
    with pytest.raises(InvalidInputError):
        auth.configure("local://?algorithm=HS256")


def test_unreachable_database_is_backend_unavailable_without_password() -> None:
    backend = LocalAuthBackend(database="postgresql+psycopg://app:hunter2pw@127.0.0.1:1/app")
    with pytest.raises(ConnectionError) as info:
        backend.get_user("x")
    assert "hunter2pw" not in str(info.value)
    assert "hunter2pw" not in repr(backend)


def test_world_readable_key_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    LocalAuthBackend().jwks()
    key = Path(".tausestack/auth/signing-key-rs256.pem")
    os.chmod(key, 0o644)
    with caplog.at_level("WARNING", logger="tausestack.auth.local"):
        LocalAuthBackend().jwks()
    assert "chmod 600" in caplog.text


def test_postgres_tables_are_created(local: LocalAuthBackend) -> None:
    local.create_user("ada@example.com")
    names = sa.inspect(local.store.engine).get_table_names()
    assert {"tausestack_auth_users", "tausestack_auth_refresh_tokens"} <= set(names)
