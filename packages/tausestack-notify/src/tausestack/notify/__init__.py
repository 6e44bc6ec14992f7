"""tausestack.notify: e-mail through console, file, memory, SMTP and Amazon SES.

>>> from tausestack import notify
>>> notify.configure("memory://")
>>> notify.email("ada@example.com", "Report", content_html="<p>See <b>attached</b></p>",
...              attachments=[notify.attachment(b"a,b\\n1,2\\n", file_name="report.csv")])  # doctest: +ELLIPSIS
'<...>'
>>> notify.outbox[0].text
'See attached'

The module-level functions use a default :class:`Notifier` built on first use from
``TAUSESTACK_NOTIFY_URL`` (``console://`` when unset: messages are printed, not sent).
"""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address
from typing import Any

from tausestack.core import BackendURL, ModuleDefault
from tausestack.notify._attachments import Attachment, StorageKey, attachment
from tausestack.notify._errors import (
    AttachmentTooLargeError,
    DeliveryError,
    HeaderInjectionError,
    InvalidAddressError,
)
from tausestack.notify._html import html_to_text
from tausestack.notify._message import OutgoingEmail, Recipients
from tausestack.notify._notifier import Notifier, registry
from tausestack.notify._settings import NotifySettings
from tausestack.notify._version import __version__
from tausestack.notify.backends._base import EmailBackend

__all__ = [
    "__version__",
    "email",
    "aemail",
    "attachment",
    "StorageKey",
    "configure",
    "reset",
    "health",
    "ahealth",
    "close",
    "aclose",
    "describe",
    "get_notifier",
    "Notifier",
    "NotifySettings",
    "OutgoingEmail",
    "Attachment",
    "EmailBackend",
    "registry",
    "html_to_text",
    "InvalidAddressError",
    "HeaderInjectionError",
    "AttachmentTooLargeError",
    "DeliveryError",
]

_default: ModuleDefault[Notifier] = ModuleDefault(Notifier, close=Notifier.close)


def get_notifier() -> Notifier:
    """The default :class:`Notifier` (built from the environment on first use)."""
    return _default.get()


def configure(url_or_backend: str | BackendURL | EmailBackend | Notifier) -> None:
    """Make ``url_or_backend`` (a URL, ``secret:NAME``, a backend or a :class:`Notifier`) the default."""
    _default.configure(url_or_backend if isinstance(url_or_backend, Notifier) else Notifier(url_or_backend))


def reset() -> None:
    """Forget the default notifier; the next use reads the environment again."""
    _default.reset()


def email(
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
    """Send an e-mail through the default notifier (see :meth:`Notifier.email`).

    >>> notify.email(["ada@example.com"], "Hi", content_text="Hello")  # doctest: +SKIP
    """
    return _default.get().email(
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


async def aemail(
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
    """Async twin of :func:`email`."""
    return await _default.get().aemail(
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


# The module lifecycle (tausestack.core.ModuleDefault): health()/ahealth() check the default
# (building it on first use) and raise BackendUnavailableError, AccessDeniedError or
# ConfigurationError when it does not work (see Notifier.health); close()/aclose() release its
# connections if it was built (it stays configured).
health = _default.health
ahealth = _default.ahealth
close = _default.close
aclose = _default.aclose


def describe() -> str:
    """The default backend as short redacted text, without connecting."""
    if _default.is_built:
        return _default.get().describe()
    from tausestack.core import parse_url, redact_url

    url = NotifySettings().url
    try:
        return parse_url(url, variable="TAUSESTACK_NOTIFY_URL").redacted()
    except Exception:
        return redact_url(url)


def __getattr__(name: str) -> Any:
    """``notify.outbox``: the default notifier's outbox (memory:// only)."""
    if name == "outbox":
        return _default.get().outbox
    raise AttributeError(f"module 'tausestack.notify' has no attribute {name!r}")
