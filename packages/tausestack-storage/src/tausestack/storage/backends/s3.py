"""Amazon S3 or any S3-compatible service: ``s3://bucket/prefix`` (extra ``[s3]``, boto3).

URL options: ``region``, ``endpoint_url`` (MinIO, R2, moto...; ``AWS_ENDPOINT_URL`` works too),
``retries`` (default 3, botocore standard mode), ``timeout`` (seconds, default 60),
``part_size`` (multipart part, default 8 MiB, at least 5 MiB), ``multipart_threshold``
(``put`` of bytes above it uses multipart, default 16 MiB), ``addressing_style``
(``auto``/``path``/``virtual``), ``access_key_id``/``secret_access_key``/``session_token``.
Credentials also come from ``TAUSESTACK_STORAGE_S3_ACCESS_KEY_ID``/``..._SECRET_ACCESS_KEY``/
``..._SESSION_TOKEN`` or the usual AWS chain; any of them may be ``secret:NAME``.

``get`` is one ``GetObject`` (no extra HEAD). Listings derive each entry's content type from its
key (a HEAD per object would be too slow); :meth:`info` returns the stored one.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Mapping
from typing import IO, Any, cast

from pydantic import SecretStr

from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    BackendURL,
    ConfigurationError,
    InvalidKeyError,
    ObjectNotFoundError,
    SettingsConfigDict,
    TauseStackSettings,
    resolve_secret_reference,
)
from tausestack.storage._backend import ObjectInfo, StorageBackend, StorageEntry, default_content_type
from tausestack.storage.backends._s3_io import S3Reader, S3Writer

__all__ = ["S3StorageBackend", "S3Settings"]

MiB = 1024 * 1024
_MISSING = {"NoSuchKey", "404", "NotFound"}
_DENIED = {
    "AccessDenied",
    "403",
    "Forbidden",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AllAccessDisabled",
    "ExpiredToken",
    "InvalidToken",
}
_OPTIONS = {
    "region",
    "endpoint_url",
    "retries",
    "timeout",
    "part_size",
    "multipart_threshold",
    "addressing_style",
    "access_key_id",
    "secret_access_key",
    "session_token",
}


class S3Settings(TauseStackSettings):
    """S3 credentials and endpoint from ``TAUSESTACK_STORAGE_S3_*`` (values may be ``secret:NAME``)."""

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_STORAGE_S3_")

    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None
    session_token: SecretStr | None = None
    region: str | None = None
    endpoint_url: str | None = None


class S3StorageBackend(StorageBackend):
    """Objects in an S3 bucket under an optional key prefix.

    >>> backend = S3StorageBackend("my-bucket", "apps/demo", region="eu-west-1")
    """

    scheme = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | SecretStr | None = None,
        session_token: str | SecretStr | None = None,
        retries: int = 3,
        timeout: float = 60.0,
        part_size: int = 8 * MiB,
        multipart_threshold: int = 16 * MiB,
        addressing_style: str = "auto",
        client: Any = None,
    ) -> None:
        if not bucket:
            raise ConfigurationError("S3 storage needs a bucket: s3://bucket/prefix")
        if part_size < 5 * MiB:
            raise ConfigurationError("S3 part_size must be at least 5 MiB (5242880)")
        if addressing_style not in ("auto", "path", "virtual"):
            raise ConfigurationError("S3 addressing_style must be auto, path or virtual")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.region = region
        self.endpoint_url = endpoint_url
        self.retries = retries
        self.timeout = timeout
        self.part_size = part_size
        self.multipart_threshold = max(multipart_threshold, part_size)
        self.addressing_style = addressing_style
        self._access_key_id = access_key_id
        self._secret_access_key = _secret(secret_access_key)
        self._session_token = _secret(session_token)
        self._client = client
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> S3StorageBackend:
        url.check_options(_OPTIONS)
        settings = S3Settings()
        bucket = url.host or ""
        prefix = url.path.strip("/")

        def option(name: str) -> str | None:
            value = url.option(name)
            if value is None:
                return None
            return resolve_secret_reference(value, variable=f"{url.variable} option {name}")

        return cls(
            bucket,
            prefix,
            region=url.option("region") or settings.region,
            endpoint_url=url.option("endpoint_url") or settings.endpoint_url,
            access_key_id=option("access_key_id") or settings.access_key_id,
            secret_access_key=option("secret_access_key") or settings.secret_access_key,
            session_token=option("session_token") or settings.session_token,
            retries=url.option_int("retries", 3, minimum=0),
            timeout=url.option_float("timeout", 60.0),
            part_size=url.option_int("part_size", 8 * MiB, minimum=5 * MiB),
            multipart_threshold=url.option_int("multipart_threshold", 16 * MiB, minimum=0),
            addressing_style=url.option("addressing_style", "auto") or "auto",
        )

    def describe(self) -> str:
        text = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        options = [f"{k}={v}" for k, v in (("region", self.region), ("endpoint_url", self.endpoint_url)) if v]
        return text + ("?" + "&".join(options) if options else "")

    # -- client --------------------------------------------------------------------------------

    @property
    def client(self) -> Any:
        """The boto3 S3 client (created on first use)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def _make_client(self) -> Any:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise ConfigurationError(
                "s3:// needs boto3; install it with: pip install 'tausestack-storage[s3]'"
            ) from None
        s3_options: Any = {"addressing_style": self.addressing_style}
        config = Config(
            retries={"max_attempts": self.retries + 1, "mode": "standard"},
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            s3=s3_options,
        )
        return boto3.session.Session().client(
            "s3",
            region_name=self.region,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self._access_key_id,
            aws_secret_access_key=self._secret_access_key.get_secret_value()
            if self._secret_access_key
            else None,
            aws_session_token=self._session_token.get_secret_value() if self._session_token else None,
            config=config,
        )

    def _key(self, key: str) -> str:
        full = self.prefix + key
        if len(full.encode()) > 1024:
            raise InvalidKeyError(
                f"storage key {key[:60]!r}... is longer than S3's 1024 bytes with the prefix"
            )
        return full

    def _error(self, exc: Exception, key: str | None) -> Exception:
        from botocore.exceptions import BotoCoreError, ClientError

        what = f"{key!r} in s3://{self.bucket}" if key else f"s3://{self.bucket}"
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code in _MISSING:
                return ObjectNotFoundError(f"storage object {key!r} does not exist")
            if code in _DENIED:
                return AccessDeniedError(
                    f"S3 refused access to {what} ({code}); check the credentials and bucket policy"
                )
            if code == "NoSuchBucket":
                return BackendUnavailableError(
                    f"S3 bucket {self.bucket!r} does not exist; create it or fix the URL"
                )
            return BackendUnavailableError(f"S3 failed on {what} ({code or 'error'})")
        if isinstance(exc, BotoCoreError):
            return BackendUnavailableError(f"S3 is unreachable for {what} ({type(exc).__name__})")
        return exc

    def _call(self, key: str | None, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **kwargs)
        except Exception as exc:
            error = self._error(exc, key)
            if error is exc:
                raise
            raise error from None

    # -- operations ----------------------------------------------------------------------------

    def read(self, key: str) -> bytes:
        response = self._call(key, "get_object", Key=self._key(key))
        try:
            return cast("bytes", response["Body"].read())
        except Exception as exc:
            raise self._error(exc, key) from None

    def open_read(self, key: str) -> IO[bytes]:
        response = self._call(key, "get_object", Key=self._key(key))
        reader = S3Reader(response["Body"], lambda exc: self._error(exc, key))
        return cast("IO[bytes]", io.BufferedReader(reader, buffer_size=256 * 1024))

    def write(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        if len(data) > self.multipart_threshold:
            with self.open_write(key, content_type=content_type, metadata=metadata) as file:
                file.write(data)
            return
        self._call(
            key,
            "put_object",
            Key=self._key(key),
            Body=data,
            ContentType=content_type or default_content_type(key),
            Metadata=dict(metadata or {}),
        )

    def open_write(
        self, key: str, *, content_type: str | None = None, metadata: Mapping[str, str] | None = None
    ) -> IO[bytes]:
        writer = S3Writer(
            self.client,
            self.bucket,
            self._key(key),
            part_size=self.part_size,
            content_type=content_type or default_content_type(key),
            metadata=metadata,
            on_error=lambda exc: self._error(exc, key),
        )
        return cast("IO[bytes]", writer)

    def delete(self, key: str) -> bool:
        # DeleteObject succeeds for missing keys; the HEAD tells whether there was one.
        if not self.exists(key):
            return False
        self._call(key, "delete_object", Key=self._key(key))
        return True

    def exists(self, key: str) -> bool:
        try:
            self._call(key, "head_object", Key=self._key(key))
        except ObjectNotFoundError:
            return False
        return True

    def info(self, key: str) -> ObjectInfo:
        head = self._call(key, "head_object", Key=self._key(key))
        return ObjectInfo(
            key,
            int(head["ContentLength"]),
            head["LastModified"],
            str(head.get("ContentType") or default_content_type(key)),
            dict(head.get("Metadata") or {}),
        )

    def iter_entries(self, prefix: str) -> Iterator[StorageEntry]:
        kwargs: dict[str, Any] = {"Prefix": self.prefix + prefix}
        strip = len(self.prefix)
        while True:
            response = self._call(prefix, "list_objects_v2", **kwargs)
            for item in response.get("Contents", []):
                key = str(item["Key"])[strip:]
                yield StorageEntry(key, int(item["Size"]), item["LastModified"], default_content_type(key))
            token = response.get("NextContinuationToken")
            if not response.get("IsTruncated") or not token:
                return
            kwargs["ContinuationToken"] = token

    def presign(self, key: str, method: str, expires: float) -> str:
        operation = "get_object" if method == "GET" else "put_object"
        try:
            return str(
                self.client.generate_presigned_url(
                    operation, Params={"Bucket": self.bucket, "Key": self._key(key)}, ExpiresIn=int(expires)
                )
            )
        except Exception as exc:
            raise self._error(exc, key) from None

    def health(self) -> None:
        try:
            self._call(None, "head_bucket")
        except ObjectNotFoundError:
            raise BackendUnavailableError(
                f"S3 bucket {self.bucket!r} does not exist; create it or fix the URL"
            ) from None

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()


def _secret(value: str | SecretStr | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)
