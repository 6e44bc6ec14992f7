"""``ses://``: Amazon SES through boto3 (``tausestack-notify[ses]``).

``ses://?region=eu-west-1&from=noreply@example.com&configuration_set=marketing``

Messages without attachments go through ``SendEmail``; messages with attachments or inline
images through ``SendRawEmail`` with the MIME message as built. Credentials come from the usual
AWS chain (environment, profile, role); ``endpoint_url`` (or ``AWS_ENDPOINT_URL``) points at
another endpoint such as a moto server. boto3 is imported when the first message is sent.
"""

from __future__ import annotations

import threading
from email.utils import formataddr
from typing import Any

from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    BackendURL,
    ConfigurationError,
)
from tausestack.notify._errors import DeliveryError
from tausestack.notify._message import OutgoingEmail
from tausestack.notify.backends._base import EmailBackend

__all__ = ["SESEmailBackend"]

_OPTIONS = frozenset({"region", "from", "configuration_set", "endpoint_url", "profile"})
_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
}
_REJECTED = {
    "MessageRejected",
    "MailFromDomainNotVerifiedException",
    "AccountSendingPausedException",
    "ConfigurationSetDoesNotExist",
}


def _header_address(address: Any) -> str:
    return (
        formataddr((address.display_name, address.addr_spec)) if address.display_name else address.addr_spec
    )


class SESEmailBackend(EmailBackend):
    """Sends through Amazon SES (API v1); raises on any refusal.

    Errors: :class:`~tausestack.notify.DeliveryError` (message rejected, sender not verified),
    :class:`~tausestack.core.AccessDeniedError` (credentials or policy),
    :class:`~tausestack.core.BackendUnavailableError` (endpoint unreachable, throttled),
    :class:`~tausestack.core.ConfigurationError` (no credentials or region).
    """

    scheme = "ses"
    needs_sender = True

    def __init__(
        self,
        *,
        region: str | None = None,
        default_from: str | None = None,
        configuration_set: str | None = None,
        endpoint_url: str | None = None,
        profile: str | None = None,
    ) -> None:
        super().__init__(default_from=default_from)
        self.region = region
        self.configuration_set = configuration_set
        self.endpoint_url = endpoint_url
        self.profile = profile
        self._client: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> SESEmailBackend:
        url.check_options(_OPTIONS)
        return cls(
            region=url.option("region"),
            default_from=url.option("from"),
            configuration_set=url.option("configuration_set"),
            endpoint_url=url.option("endpoint_url"),
            profile=url.option("profile"),
        )

    @property
    def client(self) -> Any:
        """The boto3 SES client (built on first use)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    try:
                        import boto3
                    except ImportError:
                        raise ConfigurationError(
                            "the ses:// notify backend needs boto3: pip install 'tausestack-notify[ses]'"
                        ) from None
                    session = boto3.session.Session(profile_name=self.profile, region_name=self.region)
                    self._client = session.client("ses", endpoint_url=self.endpoint_url)
        return self._client

    def send(self, message: OutgoingEmail) -> str:
        extra: dict[str, Any] = {}
        if self.configuration_set:
            extra["ConfigurationSetName"] = self.configuration_set
        with self._errors():
            if message.attachments:
                response = self.client.send_raw_email(
                    Source=message.envelope_from,
                    Destinations=list(message.recipients),
                    RawMessage={"Data": message.as_bytes()},
                    **extra,
                )
            else:
                body: dict[str, Any] = {"Text": {"Data": message.text, "Charset": "UTF-8"}}
                if message.html:
                    body["Html"] = {"Data": message.html, "Charset": "UTF-8"}
                destination = {
                    "ToAddresses": [_header_address(a) for a in message.to],
                    "CcAddresses": [_header_address(a) for a in message.cc],
                    "BccAddresses": [_header_address(a) for a in message.bcc],
                }
                if message.reply_to:
                    extra["ReplyToAddresses"] = [_header_address(a) for a in message.reply_to]
                response = self.client.send_email(
                    Source=_header_address(message.sender),
                    Destination=destination,
                    Message={"Subject": {"Data": message.subject, "Charset": "UTF-8"}, "Body": body},
                    **extra,
                )
        return str(response["MessageId"])

    def health(self) -> None:
        """Read the account's send quota (``GetSendQuota``): a signed round trip to SES.

        Raises :class:`~tausestack.core.BackendUnavailableError` (endpoint unreachable, SES
        failing), :class:`~tausestack.core.AccessDeniedError` (credentials refused) or
        :class:`~tausestack.core.ConfigurationError` (no credentials, no region, no boto3).
        """
        with self._errors():
            self.client.get_send_quota()

    def close(self) -> None:
        """Close the boto3 client's connection pool; the next use builds a new client."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def describe(self) -> str:
        return f"ses://?region={self.region}" if self.region else "ses://"

    def _errors(self) -> _SESErrors:
        return _SESErrors(self.describe())


class _SESErrors:
    """Translate botocore errors into TauseStack's."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if exc is None or not isinstance(exc, Exception):
            return
        import botocore.exceptions as errors

        if isinstance(exc, errors.ClientError):
            error = exc.response.get("Error", {})
            code, text = str(error.get("Code", "")), str(error.get("Message", ""))
            if code in _REJECTED:
                raise DeliveryError(f"SES ({self.where}) rejected the message: {code}: {text}") from None
            if code in _DENIED:
                raise AccessDeniedError(f"SES ({self.where}) refused the credentials: {code}") from None
            raise BackendUnavailableError(f"SES ({self.where}) failed: {code}: {text}") from None
        if isinstance(exc, (errors.NoCredentialsError, errors.NoRegionError, errors.PartialCredentialsError)):
            raise ConfigurationError(
                f"SES ({self.where}): {exc}; configure AWS credentials and a region"
            ) from None
        if isinstance(exc, (errors.BotoCoreError, OSError)):
            raise BackendUnavailableError(f"SES ({self.where}) is unreachable: {exc}") from None
