"""``Notifier``: build, check and send e-mail through one backend."""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address

from tausestack.core import BackendRegistry, BackendURL, ConfigurationError, UnsupportedOperationError
from tausestack.notify._attachments import Attachment
from tausestack.notify._message import OutgoingEmail, Recipients, build_email
from tausestack.notify._settings import NotifySettings
from tausestack.notify.backends._base import EmailBackend

__all__ = ["Notifier", "registry", "FALLBACK_SENDER"]

FALLBACK_SENDER = "TauseStack <noreply@example.com>"

registry: BackendRegistry[EmailBackend] = BackendRegistry("notify", variable="TAUSESTACK_NOTIFY_URL")
"""The e-mail backends by URL scheme (entry points ``tausestack.notify.backends``)."""


class Notifier:
    """Sends e-mail through one backend: ``console://`` (default), ``file://``, ``memory://``,
    ``smtp://`` or ``ses://``.

    >>> notifier = Notifier("memory://")
    >>> notifier.email("ada@example.com", "Welcome", content_text="Hello Ada")  # doctest: +ELLIPSIS
    '<...>'
    >>> notifier.outbox[0].subject
    'Welcome'

    The sender is ``from_=``, else ``default_from`` (argument, the URL's ``?from=`` or
    ``TAUSESTACK_NOTIFY_DEFAULT_FROM``); console, file and memory fall back to a placeholder,
    SMTP and SES raise :class:`~tausestack.core.ConfigurationError` instead.
    """

    def __init__(
        self,
        url_or_backend: str | BackendURL | EmailBackend | None = None,
        *,
        default_from: str | None = None,
        max_attachments_size: int | None = None,
    ) -> None:
        settings = NotifySettings()
        if isinstance(url_or_backend, EmailBackend):
            backend = url_or_backend
        else:
            backend = registry.create(url_or_backend if url_or_backend is not None else settings.url)
        self._backend = backend
        self.default_from = default_from or backend.default_from or settings.default_from
        self.max_attachments_size = (
            max_attachments_size if max_attachments_size is not None else settings.max_attachments_size
        )

    @property
    def backend(self) -> EmailBackend:
        """The backend messages are sent through."""
        return self._backend

    @property
    def outbox(self) -> list[OutgoingEmail]:
        """The sent messages of a ``memory://`` backend (UnsupportedOperationError otherwise)."""
        outbox = getattr(self._backend, "outbox", None)
        if outbox is None:
            raise UnsupportedOperationError(f"{self.describe()} keeps no outbox; use memory:// in tests")
        return outbox  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Notifier({self.describe()!r})"

    def build(
        self,
        to: Recipients,
        subject: str,
        *,
        content_text: str | None = None,
        content_html: str | None = None,
        attachments: Sequence[Attachment] = (),
        cc: Recipients = None,
        bcc: Recipients = None,
        reply_to: Recipients = None,
        from_: str | Address | None = None,
    ) -> OutgoingEmail:
        """Validate and build the message :meth:`email` would send, without sending it."""
        sender = from_ or self.default_from
        if sender is None:
            if self._backend.needs_sender:
                raise ConfigurationError(
                    f"no sender for {self.describe()}: pass from_=... or set TAUSESTACK_NOTIFY_DEFAULT_FROM"
                )
            sender = FALLBACK_SENDER
        return build_email(
            to,
            subject,
            sender=sender,
            content_text=content_text,
            content_html=content_html,
            attachments=attachments,
            cc=cc,
            bcc=bcc,
            reply_to=reply_to,
            max_attachments_size=self.max_attachments_size,
        )

    def email(
        self,
        to: Recipients,
        subject: str,
        *,
        content_text: str | None = None,
        content_html: str | None = None,
        attachments: Sequence[Attachment] = (),
        cc: Recipients = None,
        bcc: Recipients = None,
        reply_to: Recipients = None,
        from_: str | Address | None = None,
    ) -> str:
        """Send one e-mail; return its id (the provider's, else the ``Message-ID``).

        ``to``, ``cc``, ``bcc`` and ``reply_to`` take one address or a list, each either
        ``"ada@example.com"`` or ``"Ada Lovelace <ada@example.com>"``. When only
        ``content_html`` is given a text part is derived from it.

        Raises, before anything is sent: :class:`~tausestack.notify.InvalidAddressError`
        (a bad address, no recipient), :class:`~tausestack.notify.HeaderInjectionError` (CR/LF
        in a header), :class:`~tausestack.notify.AttachmentTooLargeError`; and from the backend:
        :class:`~tausestack.notify.DeliveryError`, ``BackendUnavailableError``,
        ``AccessDeniedError``. It never returns False.
        """
        message = self.build(
            to,
            subject,
            content_text=content_text,
            content_html=content_html,
            attachments=attachments,
            cc=cc,
            bcc=bcc,
            reply_to=reply_to,
            from_=from_,
        )
        return self._backend.send(message)

    async def aemail(
        self,
        to: Recipients,
        subject: str,
        *,
        content_text: str | None = None,
        content_html: str | None = None,
        attachments: Sequence[Attachment] = (),
        cc: Recipients = None,
        bcc: Recipients = None,
        reply_to: Recipients = None,
        from_: str | Address | None = None,
    ) -> str:
        """Async twin of :meth:`email`."""
        message = self.build(
            to,
            subject,
            content_text=content_text,
            content_html=content_html,
            attachments=attachments,
            cc=cc,
            bcc=bcc,
            reply_to=reply_to,
            from_=from_,
        )
        return await self._backend.asend(message)

    def health(self) -> None:
        """Check the backend really works; return None when it does.

        console:// and memory:// are always healthy; file:// writes and removes a probe file;
        smtp:// connects, logs in and says NOOP; ses:// reads the send quota. Raises
        :class:`~tausestack.core.BackendUnavailableError`, :class:`~tausestack.core.AccessDeniedError`
        or :class:`~tausestack.core.ConfigurationError`, never showing a password.

        >>> Notifier("memory://").health()
        """
        self._backend.health()

    async def ahealth(self) -> None:
        """Async twin of :meth:`health`."""
        await self._backend.ahealth()

    def close(self) -> None:
        """Release the backend's connections, if any; the notifier stays usable."""
        self._backend.close()

    async def aclose(self) -> None:
        """Async twin of :meth:`close`."""
        await self._backend.aclose()

    def describe(self) -> str:
        """The backend as short redacted text (no password), without connecting."""
        return self._backend.describe()
