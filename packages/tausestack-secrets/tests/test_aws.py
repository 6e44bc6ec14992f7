"""AWS Secrets Manager on the moto server (real HTTP): CRUD, JSON fields, prefix, rotation, chain."""

from __future__ import annotations

import json
import time

import pytest

from tausestack import secrets
from tausestack.core import (
    BackendUnavailableError,
    ConfigurationError,
    SettingsConfigDict,
    TauseStackSettings,
)
from tausestack.core.testing import MotoServer
from tausestack.secrets import Secrets
from tausestack.secrets.backends.aws import AwsSecretsManagerBackend

pytestmark = pytest.mark.moto

VALUE = "aws-rotated-value-0123456789"


def test_create_update_get_delete_list(moto: MotoServer) -> None:
    store = Secrets("aws-secrets://?prefix=app/")
    assert store.get_names() == []
    store.put("OPENAI_KEY", VALUE)
    store.put("OTHER", "o")
    assert store.get("OPENAI_KEY") == VALUE
    raw = moto.client("secretsmanager")
    assert raw.get_secret_value(SecretId="app/OPENAI_KEY")["SecretString"] == VALUE
    raw.create_secret(Name="elsewhere/NOT_MINE", SecretString="x")
    store.put("OPENAI_KEY", "updated")
    assert store.get("OPENAI_KEY", force_refresh=True) == "updated"
    assert store.get_names() == ["OPENAI_KEY", "OTHER"]
    assert store.delete("OPENAI_KEY") is True
    assert store.delete("OPENAI_KEY") is False
    assert store.get("OPENAI_KEY", default=None) is None
    with pytest.raises(KeyError):
        store.get("OPENAI_KEY")
    assert store.get_names() == ["OTHER"]
    store.health()


def test_json_secret_whole_or_by_field_and_binary(moto: MotoServer) -> None:
    raw = moto.client("secretsmanager")
    raw.create_secret(Name="db", SecretString=json.dumps({"username": "app", "password": VALUE}))
    raw.create_secret(Name="cert", SecretBinary=b"\x00\x01\x02")
    store = Secrets("aws-secrets://")
    assert store.get_json("db") == {"username": "app", "password": VALUE}
    assert store.get("db", field="password") == VALUE
    assert store.get("db#username") == "app"
    assert store.get_as_bytes("cert") == b"\x00\x01\x02"
    store.put("bin", b"\xff\xfe")
    assert raw.get_secret_value(SecretId="bin")["SecretBinary"] == b"\xff\xfe"


def test_rotated_value_is_seen_after_the_ttl(moto: MotoServer) -> None:
    raw = moto.client("secretsmanager")
    raw.create_secret(Name="app/KEY", SecretString="v1")
    store = Secrets("aws-secrets://?prefix=app/&cache_ttl=0.3")
    assert store.cache_ttl == pytest.approx(0.3)
    assert store.get("KEY") == "v1"
    raw.put_secret_value(SecretId="app/KEY", SecretString="v2")
    assert store.get("KEY") == "v1"  # cached
    assert store.get("KEY", force_refresh=True) == "v2"
    raw.put_secret_value(SecretId="app/KEY", SecretString="v3")
    deadline = time.monotonic() + 5
    while store.get("KEY") != "v3":
        assert time.monotonic() < deadline, "rotation never became visible"
        time.sleep(0.05)


def test_default_cache_ttl_is_five_minutes(moto: MotoServer) -> None:
    assert Secrets("aws-secrets://").cache_ttl == 300


def test_chain_env_then_aws(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    moto.client("secretsmanager").create_secret(Name="app/FROM_AWS", SecretString="aws")
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "env://,aws-secrets://?prefix=app/")
    monkeypatch.setenv("FROM_AWS", "env-overrides")
    monkeypatch.setenv("ONLY_ENV", "env")
    assert secrets.get("FROM_AWS") == "env-overrides"
    assert secrets.get("ONLY_ENV") == "env"
    monkeypatch.delenv("FROM_AWS")
    assert secrets.get("FROM_AWS", force_refresh=True) == "aws"
    assert "FROM_AWS" in secrets.get_names()


def test_unreachable_endpoint_is_backend_unavailable(moto: MotoServer) -> None:
    store = Secrets("aws-secrets://?endpoint_url=http://127.0.0.1:9&retries=0&timeout=1")
    with pytest.raises(BackendUnavailableError):
        store.get("X")
    with pytest.raises(ConnectionError):
        store.health()


def test_values_not_in_reprs(moto: MotoServer) -> None:
    store = Secrets("aws-secrets://?prefix=app/")
    store.put("K", VALUE)
    store.get("K")
    assert VALUE not in repr(store)
    assert VALUE not in repr(store.backend)
    assert isinstance(store.backend, AwsSecretsManagerBackend)
    store.close()
    assert store.get("K") == VALUE  # reopens


def test_core_settings_resolve_secret_references_through_aws(
    moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto.client("secretsmanager").create_secret(Name="app/DB_PASSWORD", SecretString=VALUE)
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "aws-secrets://?prefix=app/")

    class AppSettings(TauseStackSettings):
        model_config = SettingsConfigDict(env_prefix="TAUSESTACK_APP_")
        db_password: str = "secret:DB_PASSWORD"

    assert AppSettings().db_password == VALUE
    monkeypatch.setenv("TAUSESTACK_APP_DB_PASSWORD", "secret:MISSING")
    with pytest.raises(ConfigurationError) as info:
        AppSettings()
    assert "MISSING" in str(info.value)
    assert VALUE not in str(info.value)


def test_logs_never_carry_values(moto: MotoServer, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    store = Secrets("aws-secrets://?prefix=app/")
    with caplog.at_level(logging.DEBUG, logger="tausestack"):
        store.put("LOGGED", VALUE)
        assert store.get("LOGGED") == VALUE
    assert "app/LOGGED" in caplog.text
    assert VALUE not in caplog.text
