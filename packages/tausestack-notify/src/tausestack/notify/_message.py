"""Build and check a message before any backend sees it: ``OutgoingEmail``."""

from __future__ import annotations

import email.policy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tausestack.core import InvalidInputError
from tausestack.notify._addresses import check_header, parse_address, parse_addresses
from tausestack.notify._attachments import Attachment
from tausestack.notify._errors import AttachmentTooLargeError, InvalidAddressError
from tausestack.notify._html import html_to_text

__all__ = ["OutgoingEmail", "build_email", "Recipients"]

Recipients = str | Address | Iterable[str | Address] | None


@dataclass(frozen=True, repr=False)
class OutgoingEmail:
    """A validated message and its envelope, as handed to a backend (and kept in the outbox).

    ``message`` is the MIME message (no ``Bcc`` header); ``recipients`` is the envelope: every
    To, Cc and Bcc address.
    """

    message: EmailMessage
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    bcc: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    subject: str
    text: str
    html: str | None
    attachments: tuple[Attachment, ...]

    @property
    def message_id(self) -> str:
        """The ``Message-ID`` header."""
        return str(self.message["Message-ID"])

    @property
    def envelope_from(self) -> str:
        """The bare sender address (``MAIL FROM``)."""
        return self.sender.addr_spec

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every bare recipient address, To then Cc then Bcc, without duplicates."""
        seen: dict[str, None] = {}
        for address in (*self.to, *self.cc, *self.bcc):
            seen.setdefault(address.addr_spec, None)
        return tuple(seen)

    def as_bytes(self) -> bytes:
        """The message as RFC 5322 bytes with CRLF line endings."""
        return self.message.as_bytes(policy=email.policy.SMTP)

    def __repr__(self) -> str:
        to = ", ".join(address.addr_spec for address in self.to)
        return f"OutgoingEmail(to=[{to}], subject={self.subject!r}, attachments={len(self.attachments)})"


def build_email(
    to: Recipients,
    subject: str,
    *,
    sender: str | Address,
    content_text: str | None = None,
    content_html: str | None = None,
    attachments: Sequence[Attachment] = (),
    cc: Recipients = None,
    bcc: Recipients = None,
    reply_to: Recipients = None,
    max_attachments_size: int,
) -> OutgoingEmail:
    """Validate everything and build the MIME message; raise before anything is sent."""
    from_address = parse_address(sender, "from_")
    to_list = parse_addresses(to, "to")
    cc_list = parse_addresses(cc, "cc")
    bcc_list = parse_addresses(bcc, "bcc")
    reply_list = parse_addresses(reply_to, "reply_to")
    if not (to_list or cc_list or bcc_list):
        raise InvalidAddressError("the message has no recipient: give at least one address in to, cc or bcc")
    if not isinstance(subject, str):
        raise InvalidInputError(f"subject must be a str, not {type(subject).__name__}")
    check_header(subject, "subject")
    for name, body in (("content_text", content_text), ("content_html", content_html)):
        if body is not None and not isinstance(body, str):
            raise InvalidInputError(f"{name} must be a str, not {type(body).__name__}")
    files = tuple(attachments)
    for item in files:
        if not isinstance(item, Attachment):
            raise InvalidInputError("attachments must be built with notify.attachment(...)")
    total = sum(item.size for item in files)
    if total > max_attachments_size:
        raise AttachmentTooLargeError(
            f"attachments total {total} bytes, over the limit of {max_attachments_size} "
            "(TAUSESTACK_NOTIFY_MAX_ATTACHMENTS_SIZE)"
        )
    inline = [item for item in files if item.cid]
    if inline and not content_html:
        raise InvalidInputError("inline attachments (cid=...) need content_html that shows them")

    text = content_text if content_text is not None else (html_to_text(content_html) if content_html else "")
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = from_address
    if to_list:
        message["To"] = to_list
    if cc_list:
        message["Cc"] = cc_list
    if reply_list:
        message["Reply-To"] = reply_list
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain=from_address.domain or None)
    message["MIME-Version"] = "1.0"
    message.set_content(text)
    if content_html:
        message.add_alternative(content_html, subtype="html")
        if inline:
            html_part = message.get_payload()[1]  # type: ignore[index]
            assert isinstance(html_part, EmailMessage)
            for item in inline:
                html_part.add_related(
                    item.content,
                    item.maintype,
                    item.subtype,
                    cid=f"<{item.cid}>",
                    filename=item.file_name,
                    disposition="inline",
                )
    for item in files:
        if not item.cid:
            message.add_attachment(item.content, item.maintype, item.subtype, filename=item.file_name)
    return OutgoingEmail(
        message=message,
        sender=from_address,
        to=to_list,
        cc=cc_list,
        bcc=bcc_list,
        reply_to=reply_list,
        subject=subject,
        text=text,
        html=content_html,
        attachments=files,
    )
