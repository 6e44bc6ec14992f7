"""End to end: an S3 secret key given as ``secret:NAME`` resolves through tausestack.secrets.

Two moto servers: the shared one (Secrets Manager, no auth) holds the secret; a second one,
started here with IAM authentication enforced (``INITIAL_NO_AUTH_ACTION_COUNT``), is the S3
endpoint, so a wrong key really fails with ``SignatureDoesNotMatch`` and a policy denial really
answers ``AccessDenied``.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from tausestack import secrets, storage
from tausestack.core import AccessDeniedError, ConfigurationError
from tausestack.core.testing import MotoServer, ServiceProcess, free_port, service_missing
from tausestack.storage import Storage

pytestmark = pytest.mark.moto

BUCKET = "secured-bucket"


@dataclass
class AuthS3:
    endpoint_url: str
    access_key_id: str
    secret_access_key: str


@pytest.fixture(scope="module")
def auth_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthS3]:
    try:
        import boto3
        import moto.server  # noqa: F401
    except ImportError:
        service_missing("moto[server] and boto3 are needed for the S3 authentication tests")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log: Path = tmp_path_factory.mktemp("moto-auth") / "moto.log"
    # The first 4 requests (the set-up below) are not authenticated; every later one is.
    process = ServiceProcess(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        name="moto server (auth)",
        log_path=log,
        env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "4", "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
    )

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        process.start(ready=ready, timeout=60)
    except RuntimeError as exc:
        service_missing(str(exc))
    try:
        admin = {
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        iam = boto3.client("iam", **admin)
        iam.create_user(UserName="app")
        key = iam.create_access_key(UserName="app")["AccessKey"]
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/binary/private/*",
                },
            ],
        }
        iam.put_user_policy(UserName="app", PolicyName="s3", PolicyDocument=json.dumps(policy))
        boto3.client("s3", **admin).create_bucket(Bucket=BUCKET)
        yield AuthS3(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        process.stop()


@pytest.fixture(autouse=True)
def _fresh_defaults() -> Iterator[None]:
    secrets.reset()
    storage.reset()
    yield
    secrets.reset()
    storage.reset()


def _store_secret(moto: MotoServer, value: str) -> None:
    moto.client("secretsmanager").create_secret(Name="app/S3_SECRET_KEY", SecretString=value)


def test_settings_secret_reference_resolves_through_secrets_manager(
    moto: MotoServer, auth_s3: AuthS3, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_secret(moto, auth_s3.secret_access_key)
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "aws-secrets://?prefix=app/")
    monkeypatch.setenv("TAUSESTACK_STORAGE_URL", f"s3://{BUCKET}/app?endpoint_url={auth_s3.endpoint_url}")
    monkeypatch.setenv("TAUSESTACK_STORAGE_S3_ACCESS_KEY_ID", auth_s3.access_key_id)
    monkeypatch.setenv("TAUSESTACK_STORAGE_S3_SECRET_ACCESS_KEY", "secret:S3_SECRET_KEY")
    storage.json.put("orders/1", {"total": 10})
    assert storage.json.get("orders/1") == {"total": 10}
    assert auth_s3.secret_access_key not in storage.describe()
    assert auth_s3.secret_access_key not in repr(storage.get_storage())


def test_url_option_secret_reference(
    moto: MotoServer, auth_s3: AuthS3, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_secret(moto, auth_s3.secret_access_key)
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "aws-secrets://?prefix=app/")
    store = Storage(
        f"s3://{BUCKET}?endpoint_url={auth_s3.endpoint_url}&access_key_id={auth_s3.access_key_id}"
        "&secret_access_key=secret:S3_SECRET_KEY"
    )
    store.binary.put("k.bin", b"data")
    assert store.binary.get("k.bin") == b"data"


def test_a_wrong_secret_is_an_access_error_that_hides_the_value(
    moto: MotoServer, auth_s3: AuthS3, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "WrongSecretValue-0123456789"
    _store_secret(moto, wrong)
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "aws-secrets://?prefix=app/")
    monkeypatch.setenv("TAUSESTACK_STORAGE_S3_ACCESS_KEY_ID", auth_s3.access_key_id)
    monkeypatch.setenv("TAUSESTACK_STORAGE_S3_SECRET_ACCESS_KEY", "secret:S3_SECRET_KEY")
    store = Storage(f"s3://{BUCKET}?endpoint_url={auth_s3.endpoint_url}&retries=0")
    with pytest.raises(PermissionError) as info:
        store.json.put("k", 1)
    assert isinstance(info.value, AccessDeniedError)
    assert "SignatureDoesNotMatch" in str(info.value)
    assert wrong not in str(info.value)


def test_policy_denial_is_a_permission_error(
    moto: MotoServer, auth_s3: AuthS3, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Storage(
        f"s3://{BUCKET}?endpoint_url={auth_s3.endpoint_url}&access_key_id={auth_s3.access_key_id}"
        f"&secret_access_key={quote(auth_s3.secret_access_key, safe='')}"  # keys may hold + and /
    )
    store.binary.put("private/payroll.csv", b"a,b")
    with pytest.raises(AccessDeniedError, match="AccessDenied"):
        store.binary.get("private/payroll.csv")
    store.binary.put("public/readme.txt", b"ok")
    assert store.binary.get("public/readme.txt") == b"ok"


def test_missing_secret_names_the_setting(
    moto: MotoServer, auth_s3: AuthS3, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "aws-secrets://?prefix=app/")
    monkeypatch.setenv("TAUSESTACK_STORAGE_S3_SECRET_ACCESS_KEY", "secret:NOT_THERE")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_STORAGE_S3_SECRET_ACCESS_KEY"):
        Storage(f"s3://{BUCKET}?endpoint_url={auth_s3.endpoint_url}")
