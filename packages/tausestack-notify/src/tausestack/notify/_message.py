"""Build and check a message before any backend sees it: ``OutgoingEmail``."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import charset as _charset
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

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

    message: Message
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
        return self.message.as_bytes(policy=_SMTP)

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
    message = _mime(from_address, to_list, cc_list, reply_list, subject, text, content_html, files)
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


# The message is built with the compat32 classes and explicit boundaries: the same MIME as
# EmailMessage produces, several times faster (no header re-parsing, no boundary search).
class _Policy(Compat32):
    """compat32 with CRLF that writes short ASCII header values as they are (no Header object)."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if type(value) is str and value.isascii() and len(name) + len(value) < 76 and value.isprintable():
            return f"{name}: {value}{self.linesep}"
        return str(super()._fold(name, value, sanitize))  # type: ignore[misc]


_SMTP = _Policy(linesep="\r\n")
_UTF8_QP = _charset.Charset("utf-8")
_UTF8_QP.header_encoding = _charset.QP
_UTF8_QP.body_encoding = _charset.QP


def _boundary() -> str:
    return f"=_ts_{secrets.token_hex(16)}"


def _address(address: Address) -> str:
    if not address.display_name:
        return address.addr_spec
    return formataddr((address.display_name, address.addr_spec), charset="utf-8")


def _header(text: str) -> str:
    if text.isascii() and len(text) < 900:
        return text
    return Header(text, "utf-8").encode()


def _text_part(body: str, subtype: str) -> Message:
    part = MIMENonMultipart("text", subtype)
    del part["MIME-Version"]
    if body.isascii() and all(len(line) < 990 for line in body.splitlines()):
        part.set_payload(body, "us-ascii")
        part["Content-Transfer-Encoding"] = "7bit"
    else:
        part.set_payload(body, _UTF8_QP)
    return part


def _file_part(item: Attachment, disposition: str) -> Message:
    part = MIMEBase(item.maintype, item.subtype)
    del part["MIME-Version"]
    part.set_payload(base64.encodebytes(item.content).decode("ascii"))
    part["Content-Transfer-Encoding"] = "base64"
    if item.file_name.isascii():
        part.add_header("Content-Disposition", disposition, filename=item.file_name)
    else:
        part.add_header("Content-Disposition", disposition, filename=("utf-8", "", item.file_name))
    if item.cid:
        part["Content-ID"] = f"<{item.cid}>"
    return part


def _multipart(subtype: str, parts: Sequence[Message]) -> Message:
    container = MIMEMultipart(subtype, boundary=_boundary())
    del container["MIME-Version"]
    for part in parts:
        container.attach(part)
    return container


def _mime(
    sender: Address,
    to: tuple[Address, ...],
    cc: tuple[Address, ...],
    reply_to: tuple[Address, ...],
    subject: str,
    text: str,
    html: str | None,
    files: tuple[Attachment, ...],
) -> Message:
    body = _text_part(text, "plain")
    if html is not None:
        html_part = _text_part(html, "html")
        inline = [_file_part(item, "inline") for item in files if item.cid]
        if inline:
            html_part = _multipart("related", [html_part, *inline])
        body = _multipart("alternative", [body, html_part])
    attached = [_file_part(item, "attachment") for item in files if not item.cid]
    root = _multipart("mixed", [body, *attached]) if attached else body
    headers = [("From", _address(sender))]
    if to:
        headers.append(("To", ", ".join(map(_address, to))))
    if cc:
        headers.append(("Cc", ", ".join(map(_address, cc))))
    if reply_to:
        headers.append(("Reply-To", ", ".join(map(_address, reply_to))))
    headers += [
        ("Subject", _header(subject)),
        ("Date", formatdate(usegmt=True)),
        ("Message-ID", make_msgid(domain=sender.domain or None)),
        ("MIME-Version", "1.0"),
    ]
    # headers go first, in this order, before the part's own Content-* headers
    existing = list(root.items())
    for name in {name for name, _ in existing}:
        del root[name]
    for name, value in [*headers, *existing]:
        root[name] = value
    return root
