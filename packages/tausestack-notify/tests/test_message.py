"""Building and checking messages: addresses, header injection, size limit, HTML → text."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest

from tausestack.core import ConfigurationError, InvalidInputError
from tausestack.notify import (
    AttachmentTooLargeError,
    HeaderInjectionError,
    InvalidAddressError,
    Notifier,
    attachment,
    html_to_text,
)


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture
def notifier() -> Notifier:
    return Notifier("memory://", default_from="Acme <noreply@acme.io>")


def test_headers_envelope_and_bcc_not_in_message(notifier: Notifier) -> None:
    built = notifier.build(
        ["Ada Lovelace <ada@Example.COM>", '"Turing, Alan" <alan@example.org>'],
        "Quarterly report — Q1",
        content_text="Hello",
        cc="cc@example.com",
        bcc=["hidden@example.com"],
        reply_to="support@acme.io",
    )
    message = parse(built.as_bytes())
    assert message["From"] == "Acme <noreply@acme.io>"
    assert message["To"] == 'Ada Lovelace <ada@example.com>, "Turing, Alan" <alan@example.org>'
    assert message["Cc"] == "cc@example.com"
    assert message["Reply-To"] == "support@acme.io"
    assert message["Subject"] == "Quarterly report — Q1"
    assert message["Bcc"] is None
    assert b"hidden@example.com" not in built.as_bytes()
    assert built.recipients == ("ada@example.com", "alan@example.org", "cc@example.com", "hidden@example.com")
    assert built.envelope_from == "noreply@acme.io"
    assert message["Message-ID"].endswith("@acme.io>")
    assert message.get_content().strip() == "Hello"


@pytest.mark.parametrize("bad", ["not-an-address", "a@", "@example.com", "a b@example.com", "Ada <>", ""])
def test_invalid_addresses_are_refused(notifier: Notifier, bad: str) -> None:
    with pytest.raises(InvalidAddressError):
        notifier.email(bad, "Hi", content_text="x")
    assert notifier.outbox == []


def test_invalid_cc_bcc_reply_to_and_from(notifier: Notifier) -> None:
    for field in ("cc", "bcc", "reply_to", "from_"):
        with pytest.raises(InvalidAddressError, match=field):
            notifier.email("a@example.com", "Hi", content_text="x", **{field: "nope"})  # type: ignore[arg-type]
    assert notifier.outbox == []


def test_empty_recipients_refused(notifier: Notifier) -> None:
    for to in ([], (), None):
        with pytest.raises(InvalidAddressError, match="no recipient"):
            notifier.email(to, "Hi", content_text="x")
    # bcc alone is enough
    notifier.email([], "Hi", content_text="x", bcc="b@example.com")
    assert len(notifier.outbox) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"subject": "Hi\r\nBcc: victim@example.com"},
        {"subject": "Hi\nX-Evil: 1"},
        {"to": "Ada\r\nBcc: victim@example.com <ada@example.com>"},
        {"to": "ada@example.com\nBcc: victim@example.com"},
        {"from_": "Acme\r\n <noreply@acme.io>"},
        {"reply_to": "x@example.com\r\n"},
    ],
)
def test_header_injection_refused(notifier: Notifier, kwargs: dict[str, str]) -> None:
    arguments = {"to": "ada@example.com", "subject": "Hi", **kwargs}
    with pytest.raises(HeaderInjectionError):
        notifier.email(arguments.pop("to"), arguments.pop("subject"), content_text="x", **arguments)  # type: ignore[arg-type]
    assert notifier.outbox == []
    with pytest.raises(HeaderInjectionError):
        attachment(b"x", file_name="a.txt\r\nX-Evil: 1")


def test_header_injection_is_a_value_error() -> None:
    assert issubclass(HeaderInjectionError, ValueError)
    assert issubclass(InvalidAddressError, ValueError)
    assert issubclass(AttachmentTooLargeError, ValueError)


def test_attachment_size_limit_total() -> None:
    notifier = Notifier("memory://", max_attachments_size=10)
    small = attachment(b"12345", file_name="a.bin")
    notifier.email("a@example.com", "ok", content_text="x", attachments=[small, small])
    with pytest.raises(AttachmentTooLargeError, match="11"):
        notifier.email(
            "a@example.com",
            "big",
            content_text="x",
            attachments=[small, small, attachment(b"1", file_name="b")],
        )
    assert len(notifier.outbox) == 1


def test_size_limit_from_settings_default_10_mib(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Notifier("memory://").max_attachments_size == 10 * 1024 * 1024
    monkeypatch.setenv("TAUSESTACK_NOTIFY_MAX_ATTACHMENTS_SIZE", "100")
    assert Notifier("memory://").max_attachments_size == 100


def test_text_is_derived_from_html(notifier: Notifier) -> None:
    html = (
        "<html><head><style>p{color:red}</style><title>t</title></head><body>"
        "<h1>Welcome&nbsp;Ada</h1><p>Your <b>report</b> is <a href='https://acme.io/r/1'>here</a>.</p>"
        "<ul><li>One</li><li>Two</li></ul><script>alert(1)</script></body></html>"
    )
    built = notifier.build("a@example.com", "Hi", content_html=html)
    assert built.text == "Welcome\xa0Ada\n\nYour report is here (https://acme.io/r/1).\n\n- One\n- Two"
    message = parse(built.as_bytes())
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert plain.replace("\r\n", "\n").strip() == built.text
    assert "<h1>" in message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert html_to_text("a<br>b") == "a\nb"


def test_explicit_text_wins(notifier: Notifier) -> None:
    built = notifier.build("a@example.com", "Hi", content_text="plain", content_html="<p>html</p>")
    assert built.text == "plain"


def test_inline_images_by_cid(notifier: Notifier) -> None:
    logo = attachment(b"\x89PNG...", file_name="logo.png", cid="logo@acme")
    report = attachment("a,b\n1,2\n", file_name="report.csv")
    built = notifier.build(
        "a@example.com", "Hi", content_html='<p><img src="cid:logo@acme"></p>', attachments=[logo, report]
    )
    message = parse(built.as_bytes())
    assert message.get_content_type() == "multipart/mixed"
    related = next(part for part in message.walk() if part.get_content_type() == "multipart/related")
    image = next(part for part in related.walk() if part.get_content_type() == "image/png")
    assert image["Content-ID"] == "<logo@acme>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == b"\x89PNG..."
    files = list(message.iter_attachments())
    assert [part.get_filename() for part in files] == ["report.csv"]
    assert files[0].get_content_type() == "text/csv"
    assert files[0].get_content().replace("\r\n", "\n") == "a,b\n1,2\n"


def test_inline_needs_html(notifier: Notifier) -> None:
    logo = attachment(b"png", file_name="logo.png", cid="logo")
    with pytest.raises(InvalidInputError, match="content_html"):
        notifier.email("a@example.com", "Hi", content_text="x", attachments=[logo])


def test_other_bad_input(notifier: Notifier) -> None:
    with pytest.raises(InvalidInputError):
        notifier.email("a@example.com", 42, content_text="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        notifier.email("a@example.com", "Hi", content_text=b"x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="attachment"):
        notifier.email("a@example.com", "Hi", content_text="x", attachments=[b"raw"])  # type: ignore[list-item]
    assert notifier.outbox == []


def test_sender_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Notifier("memory://").build("a@example.com", "s").sender.addr_spec == "noreply@example.com"
    assert Notifier("memory://?from=url@acme.io").default_from == "url@acme.io"
    monkeypatch.setenv("TAUSESTACK_NOTIFY_DEFAULT_FROM", "Env <env@acme.io>")
    assert Notifier("memory://").default_from == "Env <env@acme.io>"
    assert Notifier("memory://", default_from="arg@acme.io").default_from == "arg@acme.io"
    monkeypatch.delenv("TAUSESTACK_NOTIFY_DEFAULT_FROM")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_NOTIFY_DEFAULT_FROM"):
        Notifier("smtp://127.0.0.1:2525").email("a@example.com", "s", content_text="x")
