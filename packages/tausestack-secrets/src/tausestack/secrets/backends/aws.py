"""AWS Secrets Manager: ``aws-secrets://?prefix=app/&region=eu-west-1`` (extra ``[aws]``).

Options: ``prefix`` (prepended to every name), ``region``, ``endpoint_url`` (any compatible
endpoint; ``AWS_ENDPOINT_URL`` works too), ``profile``, ``retries`` (default 3, botocore's
standard mode), ``timeout`` (seconds, default 10), ``cache_ttl`` (default 300 s). Credentials come
from the usual AWS chain (environment, profile, instance role). Values never appear in errors.
"""

from __future__ import annotations

import threading
from typing import Any

from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    BackendURL,
    ConfigurationError,
    get_logger,
)
from tausestack.secrets._backend import SecretsBackend

__all__ = ["AwsSecretsManagerBackend"]

_log = get_logger("secrets.aws")
_MISSING = frozenset({"ResourceNotFoundException"})
# Reading a secret scheduled for deletion is an InvalidRequestException: gone, for a reader.
_GONE = frozenset({"ResourceNotFoundException", "InvalidRequestException"})
_DENIED_CODES = {
    "AccessDeniedException",
    "AccessDenied",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "ExpiredTokenException",
    "InvalidClientTokenId",
}


class AwsSecretsManagerBackend(SecretsBackend):
    """Secrets Manager secrets named ``prefix + name``; string or binary values.

    >>> backend = AwsSecretsManagerBackend(prefix="app/", region="eu-west-1")
    """

    scheme = "aws-secrets"
    default_cache_ttl = 300.0

    def __init__(
        self,
        *,
        prefix: str = "",
        region: str | None = None,
        endpoint_url: str | None = None,
        profile: str | None = None,
        retries: int = 3,
        timeout: float = 10.0,
        cache_ttl: float | None = None,
    ) -> None:
        self.prefix = prefix
        self.region = region
        self.endpoint_url = endpoint_url
        self.profile = profile
        self.retries = retries
        self.timeout = timeout
        self._cache_ttl = self.default_cache_ttl if cache_ttl is None else cache_ttl
        self._client: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> AwsSecretsManagerBackend:
        url.check_options({"prefix", "region", "endpoint_url", "profile", "retries", "timeout", "cache_ttl"})
        return cls(
            prefix=url.option("prefix", "") or "",
            region=url.option("region"),
            endpoint_url=url.option("endpoint_url"),
            profile=url.option("profile"),
            retries=url.option_int("retries", 3, minimum=0),
            timeout=url.option_float("timeout", 10.0),
            cache_ttl=url.option_duration("cache_ttl", None),
        )

    @property
    def cache_ttl(self) -> float:
        return self._cache_ttl

    @property
    def client(self) -> Any:
        """The boto3 ``secretsmanager`` client (created on first use)."""
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
                "aws-secrets:// needs boto3; install it with: pip install 'tausestack-secrets[aws]'"
            ) from None
        session = (
            boto3.session.Session(profile_name=self.profile) if self.profile else boto3.session.Session()
        )
        config = Config(
            retries={"max_attempts": self.retries + 1, "mode": "standard"},
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
        )
        return session.client(
            "secretsmanager", region_name=self.region, endpoint_url=self.endpoint_url, config=config
        )

    def _call(
        self, operation: str, name: str | None, *, passthrough: frozenset[str] = _MISSING, **kwargs: Any
    ) -> Any:
        """Call ``operation``; map errors to TauseStack's, re-raising ClientError for ``passthrough`` codes."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            what = f"secret {name!r}" if name else "secrets"
            if code in _DENIED_CODES:
                raise AccessDeniedError(
                    f"AWS Secrets Manager refused {operation} on {what} ({code}); check the credentials and IAM policy"
                ) from None
            if code in passthrough:
                raise
            raise BackendUnavailableError(
                f"AWS Secrets Manager {operation} on {what} failed ({code})"
            ) from None
        except BotoCoreError as exc:
            raise BackendUnavailableError(
                f"AWS Secrets Manager is unreachable ({type(exc).__name__}); check region/endpoint_url"
            ) from None

    def get(self, name: str) -> str | bytes | None:
        from botocore.exceptions import ClientError

        try:
            response = self._call("get_secret_value", name, passthrough=_GONE, SecretId=self.prefix + name)
        except ClientError:
            return None
        if "SecretString" in response and response["SecretString"] is not None:
            return str(response["SecretString"])
        return bytes(response["SecretBinary"])

    def put(self, name: str, value: str | bytes) -> None:
        from botocore.exceptions import ClientError

        field = {"SecretBinary": value} if isinstance(value, bytes) else {"SecretString": value}
        try:
            self._call("put_secret_value", name, SecretId=self.prefix + name, **field)
        except ClientError:
            self._call("create_secret", name, Name=self.prefix + name, **field)
        _log.info("stored secret %r in AWS Secrets Manager", self.prefix + name)

    def delete(self, name: str) -> bool:
        from botocore.exceptions import ClientError

        # A forced delete of a missing secret succeeds, so ask first whether it exists.
        try:
            described = self._call("describe_secret", name, SecretId=self.prefix + name)
            if described.get("DeletedDate"):
                return False
            self._call("delete_secret", name, SecretId=self.prefix + name, ForceDeleteWithoutRecovery=True)
        except ClientError:
            return False
        return True

    def names(self) -> list[str]:
        kwargs: dict[str, Any] = {"MaxResults": 100}
        if self.prefix:
            kwargs["Filters"] = [{"Key": "name", "Values": [self.prefix]}]
        found: list[str] = []
        while True:
            response = self._call("list_secrets", None, **kwargs)
            for item in response.get("SecretList", []):
                full = str(item.get("Name", ""))
                if full.startswith(self.prefix) and full != self.prefix and not item.get("DeletedDate"):
                    found.append(full[len(self.prefix) :])
            token = response.get("NextToken")
            if not token:
                return found
            kwargs["NextToken"] = token

    def health(self) -> None:
        self._call("list_secrets", None, MaxResults=1)

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def describe(self) -> str:
        options = [
            f"{key}={value}"
            for key, value in (
                ("prefix", self.prefix),
                ("region", self.region),
                ("endpoint_url", self.endpoint_url),
            )
            if value
        ]
        return "aws-secrets://" + ("?" + "&".join(options) if options else "")
