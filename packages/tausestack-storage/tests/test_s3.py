"""The S3 backend against the moto server (real HTTP): kinds, prefix, multipart, errors, presign."""

from __future__ import annotations

import io
import os
import urllib.request

import pytest

from tausestack import storage
from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    ConfigurationError,
    ObjectNotFoundError,
)
from tausestack.core.testing import MotoServer
from tausestack.storage import Storage
from tausestack.storage.backends.s3 import S3StorageBackend

pytestmark = pytest.mark.moto

MiB = 1024 * 1024
BUCKET = "tausestack-test"


@pytest.fixture
def s3(moto: MotoServer) -> MotoServer:
    moto.client("s3").create_bucket(Bucket=BUCKET)
    return moto


@pytest.fixture
def store(s3: MotoServer) -> Storage:
    return Storage(f"s3://{BUCKET}/apps/demo?endpoint_url={s3.endpoint_url}")


def _keys(s3: MotoServer) -> list[str]:
    return sorted(item["Key"] for item in s3.client("s3").list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_kinds_round_trip_under_the_prefix(store: Storage, s3: MotoServer) -> None:
    store.json.put("settings", {"theme": "dark"})
    store.text.put("notes/a", "hola")
    store.binary.put("photo.png", b"\x89PNG", metadata={"owner": "ana"})
    assert store.json.get("settings") == {"theme": "dark"}
    assert store.text.get("notes/a") == "hola"
    assert store.binary.get("photo.png") == b"\x89PNG"
    assert _keys(s3) == ["apps/demo/binary/photo.png", "apps/demo/json/settings", "apps/demo/text/notes/a"]
    info = store.binary.info("photo.png")
    assert (info.content_type, info.metadata, info.size) == ("image/png", {"owner": "ana"}, 4)
    head = s3.client("s3").head_object(Bucket=BUCKET, Key="apps/demo/json/settings")
    assert head["ContentType"] == "application/json"
    assert [e.name for e in store.text.list()] == ["notes/a"]
    assert store.json.list()[0].size == len(b'{"theme":"dark"}')


def test_databutton_semantics(store: Storage) -> None:
    with pytest.raises(FileNotFoundError) as info:
        store.json.get("missing")
    assert isinstance(info.value, ObjectNotFoundError)
    assert store.json.get("missing", default=list) == []
    assert store.json.delete("missing") is False
    store.json.put("k", 1)
    assert store.json.exists("k")
    assert store.json.delete("k") is True
    assert not store.json.exists("k")
    with pytest.raises(FileNotFoundError):
        store.binary.open("missing")
    with pytest.raises(FileNotFoundError):
        store.binary.info("missing")


def test_large_put_uses_multipart(s3: MotoServer) -> None:
    store = Storage(
        f"s3://{BUCKET}?endpoint_url={s3.endpoint_url}&part_size=5242880&multipart_threshold=5242880"
    )
    payload = os.urandom(11 * MiB)
    store.binary.put("big.bin", payload)
    assert store.binary.get("big.bin") == payload
    etag = s3.client("s3").head_object(Bucket=BUCKET, Key="binary/big.bin")["ETag"]
    assert etag.strip('"').endswith("-3")  # three parts: 5 + 5 + 1 MiB


def test_streamed_put_and_open_are_bounded_multipart(s3: MotoServer) -> None:
    store = Storage(f"s3://{BUCKET}?endpoint_url={s3.endpoint_url}&part_size=5242880")
    payload = os.urandom(6 * MiB + 17)
    store.binary.put("stream.bin", io.BytesIO(payload))
    etag = s3.client("s3").head_object(Bucket=BUCKET, Key="binary/stream.bin")["ETag"]
    assert etag.strip('"').endswith("-2")
    with store.binary.open("stream.bin") as file:
        assert file.read(10) == payload[:10]
        assert file.read() == payload[10:]
    out = io.BytesIO()
    assert store.binary.download("stream.bin", out) == len(payload)
    assert out.getvalue() == payload
    with store.binary.open("small.bin", "wb", content_type="text/csv") as file:
        file.write(b"a,b\n")
    assert store.binary.info("small.bin").content_type == "text/csv"


def test_failed_streamed_write_aborts_and_keeps_old_value(s3: MotoServer) -> None:
    store = Storage(f"s3://{BUCKET}?endpoint_url={s3.endpoint_url}&part_size=5242880")
    store.binary.put("k", b"old")

    def fail_midway() -> None:
        with store.binary.open("k", "wb") as file:
            file.write(os.urandom(6 * MiB))  # one part already uploaded
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    assert store.binary.get("k") == b"old"
    uploads = s3.client("s3").list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    assert uploads == []


def test_presign_get_and_put(store: Storage) -> None:
    store.binary.put("report.pdf", b"%PDF-1.7")
    url = store.binary.presign("report.pdf", expires="10m")
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"%PDF-1.7"
    put_url = store.binary.presign("upload.bin", method="PUT", expires=60)
    request = urllib.request.Request(
        put_url, data=b"uploaded", method="PUT", headers={"Content-Type": "application/octet-stream"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    assert store.binary.get("upload.bin") == b"uploaded"


def test_missing_bucket_and_unreachable_endpoint(s3: MotoServer) -> None:
    missing = Storage(f"s3://no-such-bucket?endpoint_url={s3.endpoint_url}")
    with pytest.raises(BackendUnavailableError, match="no-such-bucket"):
        missing.json.get("k")
    with pytest.raises(ConnectionError):
        missing.health()
    down = Storage("s3://b?endpoint_url=http://127.0.0.1:9&retries=0&timeout=1")
    with pytest.raises(BackendUnavailableError):
        down.binary.put("k", b"x")


def test_access_denied_is_a_permission_error(s3: MotoServer) -> None:
    """Every S3 access code maps to AccessDeniedError. Real 403s (a wrong key, a policy denial)
    are exercised against an IAM-enforcing moto server in
    tests-integration/test_storage_s3_secret_key.py; this checks the whole code table."""
    from botocore.exceptions import ClientError

    backend = S3StorageBackend(BUCKET, endpoint_url=s3.endpoint_url)
    for code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"):
        error = ClientError({"Error": {"Code": code, "Message": "denied"}}, "GetObject")
        mapped = backend._error(error, "k")
        assert isinstance(mapped, AccessDeniedError), code
        assert isinstance(mapped, PermissionError)


def test_environment_url_and_settings(s3: MotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_STORAGE_URL", f"s3://{BUCKET}/p")
    storage.json.put("k", {"v": 1})  # endpoint from AWS_ENDPOINT_URL, credentials from AWS_*
    assert storage.json.get("k") == {"v": 1}
    assert storage.describe() == f"s3://{BUCKET}/p"
    storage.health()
    storage.close()
    assert storage.json.get("k") == {"v": 1}
    assert "p/json/k" in _keys(s3)


def test_bad_options(s3: MotoServer) -> None:
    with pytest.raises(ConfigurationError):
        Storage(f"s3://{BUCKET}?part_size=1024")
    with pytest.raises(ConfigurationError):
        Storage(f"s3://{BUCKET}?regoin=x")
    with pytest.raises(ConfigurationError):
        Storage("s3:///nobucket")


def test_secret_options_never_shown(s3: MotoServer) -> None:
    store = Storage(
        f"s3://{BUCKET}?endpoint_url={s3.endpoint_url}&access_key_id=testing&secret_access_key=VerySecretValue123"
    )
    store.json.put("k", 1)
    assert "VerySecretValue123" not in repr(store)
    assert "VerySecretValue123" not in store.describe()
    assert "VerySecretValue123" not in repr(store.backend)


@pytest.mark.anyio
async def test_async_twins_on_s3(store: Storage) -> None:
    await store.json.aput("a", [1])
    assert await store.json.aget("a") == [1]
    assert [e.name for e in await store.json.alist()] == ["a"]
    await store.ahealth()
    await store.aclose()
