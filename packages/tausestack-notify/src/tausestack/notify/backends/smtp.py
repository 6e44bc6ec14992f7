"""``smtp://`` and ``smtps://``: any SMTP server, through the standard library's :mod:`smtplib`.

``smtp://user:password@smtp.example.com:587?starttls=true&timeout=10s&from=noreply@example.com``

* ``smtps://`` connects with TLS from the start (port 465 by default).
* ``starttls`` upgrades a plain connection; it defaults to true on port 587. When asked for and
  the server does not offer it, sending fails: it never goes on unencrypted.
* ``verify=false`` skips certificate checks (a local test server only).

Credentials are only in the URL (which may be ``secret:NAME``); they never appear in
``describe()``, reprs, logs or error messages. One connection per message (so ``close()``
has nothing to release); ``health()`` opens one more, logs in and says NOOP.
"""

from __future__ import annotations

import smtplib
import ssl
from typing import Any

from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    BackendURL,
    ConfigurationError,
    parse_url,
)
from tausestack.notify._errors import DeliveryError
from tausestack.notify._message import OutgoingEmail
from tausestack.notify.backends._base import EmailBackend

__all__ = ["SMTPEmailBackend"]

_OPTIONS = frozenset({"starttls", "timeout", "verify", "from", "local_hostname"})


class SMTPEmailBackend(EmailBackend):
    """Sends through an SMTP server; raises on any refusal.

    Errors: :class:`~tausestack.core.BackendUnavailableError` (cannot connect, timeout),
    :class:`~tausestack.core.AccessDeniedError` (login refused),
    :class:`~tausestack.notify.DeliveryError` (sender or a recipient refused),
    :class:`~tausestack.core.ConfigurationError` (STARTTLS asked for but not offered).
    """

    scheme = "smtp"
    needs_sender = True

    def __init__(
        self,
        url: str | BackendURL,
        *,
        default_from: str | None = None,
    ) -> None:
        parsed = url if isinstance(url, BackendURL) else parse_url(url, variable="TAUSESTACK_NOTIFY_URL")
        parsed.check_options(_OPTIONS)
        if parsed.scheme not in ("smtp", "smtps"):
            raise ConfigurationError(f"{parsed.variable}: {parsed.scheme}:// is not an SMTP URL")
        if not parsed.host:
            raise ConfigurationError(f"{parsed.variable}: the SMTP URL needs a host (smtp://host:587)")
        super().__init__(default_from=default_from or parsed.option("from"))
        self._url = parsed
        self.host = parsed.host
        self.implicit_tls = parsed.scheme == "smtps"
        self.port = parsed.port or (465 if self.implicit_tls else 587)
        self.starttls = parsed.option_bool("starttls", self.port == 587 and not self.implicit_tls)
        self.timeout = parsed.option_duration("timeout", 30.0) or 30.0
        self.verify = parsed.option_bool("verify", True)
        self.local_hostname = parsed.option("local_hostname")
        self._username = parsed.username
        self._password = parsed.password

    @classmethod
    def from_url(cls, url: BackendURL) -> SMTPEmailBackend:
        return cls(url)

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _connect(self) -> smtplib.SMTP:
        where = self.describe()
        try:
            client: smtplib.SMTP
            if self.implicit_tls:
                client = smtplib.SMTP_SSL(
                    self.host,
                    self.port,
                    timeout=self.timeout,
                    context=self._tls(),
                    local_hostname=self.local_hostname,
                )
            else:
                client = smtplib.SMTP(
                    self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname
                )
        except (OSError, smtplib.SMTPException) as exc:
            raise BackendUnavailableError(f"cannot connect to the SMTP server {where}: {exc}") from None
        try:
            client.ehlo()
            if self.starttls:
                if not client.has_extn("starttls"):
                    raise ConfigurationError(
                        f"the SMTP server {where} does not offer STARTTLS and starttls=true: refusing to "
                        "send unencrypted (use smtps:// or, for a local test server only, starttls=false)"
                    )
                client.starttls(context=self._tls())
                client.ehlo()
            if self._username:
                client.login(self._username, self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            _quit(client)
            raise AccessDeniedError(f"the SMTP server {where} refused the login ({exc.smtp_code})") from None
        except smtplib.SMTPNotSupportedError:
            _quit(client)
            raise ConfigurationError(
                f"the SMTP URL {where} has credentials but the server does not offer AUTH "
                "(remove user:password from the URL, or use the server's submission port)"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            _quit(client)
            raise BackendUnavailableError(f"the SMTP session with {where} failed: {_safe(exc)}") from None
        except BaseException:
            _quit(client)
            raise
        return client

    def send(self, message: OutgoingEmail) -> str:
        client = self._connect()
        where = self.describe()
        try:
            refused: dict[str, Any] = client.send_message(
                message.message, from_addr=message.envelope_from, to_addrs=list(message.recipients)
            )
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = {addr: _reason(answer) for addr, answer in exc.recipients.items()}
            raise DeliveryError(
                f"the SMTP server {where} refused every recipient: {reasons}", reasons
            ) from None
        except smtplib.SMTPSenderRefused as exc:
            raise DeliveryError(
                f"the SMTP server {where} refused the sender {exc.sender!r} ({exc.smtp_code})"
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"the SMTP server {where} refused the message ({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise BackendUnavailableError(f"sending through {where} failed: {_safe(exc)}") from None
        finally:
            _quit(client)
        if refused:
            reasons = {addr: _reason(answer) for addr, answer in refused.items()}
            raise DeliveryError(
                f"the SMTP server {where} accepted the message but refused some recipients: {reasons}",
                reasons,
            )
        return message.message_id

    def health(self) -> None:
        """Connect, EHLO, STARTTLS and log in as configured, NOOP, QUIT.

        Raises :class:`~tausestack.core.BackendUnavailableError` (server down, refusing the
        connection, or not answering NOOP with 250), :class:`~tausestack.core.AccessDeniedError`
        (login refused; the message never shows the password) or
        :class:`~tausestack.core.ConfigurationError` (STARTTLS or AUTH asked for, not offered).
        """
        client = self._connect()
        try:
            code, answer = client.noop()
        except (OSError, smtplib.SMTPException) as exc:
            raise BackendUnavailableError(
                f"the SMTP server {self.describe()} failed NOOP: {_safe(exc)}"
            ) from None
        finally:
            _quit(client)
        if code != 250:
            raise BackendUnavailableError(
                f"the SMTP server {self.describe()} answered NOOP with {_reason((code, answer))}"
            )

    def describe(self) -> str:
        user = f"{self._username}:***@" if self._username else ""
        return f"{self._url.scheme}://{user}{self.host}:{self.port}"


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


def _reason(answer: Any) -> str:
    if isinstance(answer, tuple) and len(answer) == 2:
        code, text = answer
        detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{code} {detail}"
    return str(answer)


def _safe(exc: BaseException) -> str:
    from tausestack.core import redact

    return redact(str(exc))
