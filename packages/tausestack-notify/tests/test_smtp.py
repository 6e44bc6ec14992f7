"""SMTP backend against a real SMTP server (aiosmtpd) started on a free port."""

from __future__ import annotations

import email
import email.policy
import logging
from typing import Any

import pytest

from tausestack import notify
from tausestack.core import AccessDeniedError, BackendUnavailableError, ConfigurationError
from tausestack.core.testing import free_port
from tausestack.notify import DeliveryError, Notifier


def _parse(envelope: Any) -> Any:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_send_plain_html_attachments_and_bcc(smtp_server: Any) -> None:
    notifier = Notifier(smtp_server.url(), default_from="Acme <noreply@acme.io>")
    notifier.email(
        ["Ada <ada@example.com>"],
        "Report ✓",
        content_html="<p>Numbers <b>inside</b></p>",
        attachments=[notify.attachment("a,b\n1,2\n", file_name="r.csv")],
        cc="cc@example.com",
        bcc="hidden@example.com",
    )
    assert len(smtp_server.received) == 1
    envelope = smtp_server.received[0]
    assert envelope.mail_from == "noreply@acme.io"
    assert sorted(envelope.rcpt_tos) == ["ada@example.com", "cc@example.com", "hidden@example.com"]
    message = _parse(envelope)
    assert message["Subject"] == "Report ✓"
    assert message["Bcc"] is None
    assert "Numbers inside" in message.get_body(("plain",)).get_content()
    assert [part.get_filename() for part in message.iter_attachments()] == ["r.csv"]


def test_login(smtp_auth_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    good = Notifier(smtp_auth_server.url("mailer:s3cret-pass"), default_from="noreply@acme.io")
    with caplog.at_level(logging.DEBUG):
        good.email("a@example.com", "S", content_text="x")
    assert smtp_auth_server.logins[-1] == ("mailer", "s3cret-pass")
    assert len(smtp_auth_server.received) == 1
    assert "s3cret-pass" not in caplog.text
    assert "s3cret-pass" not in good.describe() + repr(good) + repr(good.backend)
    bad = Notifier(smtp_auth_server.url("mailer:wrong-pass-123"), default_from="noreply@acme.io")
    with pytest.raises(AccessDeniedError) as info:
        bad.email("a@example.com", "S", content_text="x")
    assert "wrong-pass-123" not in str(info.value)
    assert len(smtp_auth_server.received) == 1
    good.health()


def test_refused_recipients_raise(smtp_server: Any) -> None:
    notifier = Notifier(smtp_server.url(), default_from="noreply@acme.io")
    with pytest.raises(DeliveryError, match="every recipient") as info:
        notifier.email("reject@example.com", "S", content_text="x")
    assert "reject@example.com" in info.value.refused
    with pytest.raises(DeliveryError, match="some recipients") as partial:
        notifier.email(["ok@example.com", "reject2@example.com"], "S", content_text="x")
    assert list(partial.value.refused) == ["reject2@example.com"]


def test_starttls_required_but_not_offered(smtp_server: Any) -> None:
    notifier = Notifier(f"{smtp_server.url()}&starttls=true", default_from="noreply@acme.io")
    with pytest.raises(ConfigurationError, match="STARTTLS"):
        notifier.email("a@example.com", "S", content_text="x")
    assert smtp_server.received == []


def test_server_down_raises() -> None:
    notifier = Notifier(f"smtp://127.0.0.1:{free_port()}?timeout=2s", default_from="noreply@acme.io")
    with pytest.raises(BackendUnavailableError, match="cannot connect"):
        notifier.email("a@example.com", "S", content_text="x")
    with pytest.raises(BackendUnavailableError):
        notifier.health()


@pytest.mark.anyio
async def test_aemail_via_env(smtp_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", smtp_server.url())
    monkeypatch.setenv("TAUSESTACK_NOTIFY_DEFAULT_FROM", "Env <env@acme.io>")
    await notify.aemail("a@example.com", "async", content_text="x")
    assert smtp_server.received[0].mail_from == "env@acme.io"
    await notify.ahealth()
