"""SES backend on the moto server; sent mail is read back from the server's data."""

from __future__ import annotations

import email
import email.policy
from typing import Any

import pytest

from tausestack import notify
from tausestack.core import BackendUnavailableError
from tausestack.core.testing import free_port
from tausestack.notify import DeliveryError, Notifier

pytestmark = pytest.mark.moto
SENDER = "noreply@acme.io"


@pytest.fixture
def ses(moto: Any) -> Any:
    client = moto.client("ses")
    client.verify_email_identity(EmailAddress=SENDER)
    return moto


def _sent(moto: Any) -> dict[str, list[dict[str, Any]]]:
    data = moto.get_json("/moto-api/data.json")["ses"]
    return {"simple": data.get("Message", []), "raw": data.get("RawMessage", [])}


def test_simple_message_uses_send_email(ses: Any) -> None:
    notifier = Notifier(f"ses://?region={ses.region}&from={SENDER}")
    message_id = notifier.email(
        "Ada <ada@example.com>", "Hello", content_html="<p>Hi <b>Ada</b></p>", bcc="boss@example.com"
    )
    sent = _sent(ses)
    assert sent["raw"] == []
    [stored] = sent["simple"]
    assert stored["id"] == message_id
    assert stored["subject"] == "Hello"
    assert stored["source"] == SENDER
    assert stored["destinations"]["ToAddresses"] == ["Ada <ada@example.com>"]
    assert stored["destinations"]["BccAddresses"] == ["boss@example.com"]
    assert "Hi <b>Ada</b>" in stored["body"]


def test_attachments_use_raw_mime(ses: Any) -> None:
    notify.configure(f"ses://?region={ses.region}")
    message_id = notify.email(
        ["a@example.com"],
        "Report",
        content_text="attached",
        attachments=[notify.attachment(b"%PDF-1.7", file_name="r.pdf")],
        bcc="hidden@example.com",
        from_=SENDER,
    )
    [stored] = _sent(ses)["raw"]
    assert stored["id"] == message_id
    assert set(stored["destinations"]) == {"a@example.com", "hidden@example.com"}
    message = email.message_from_string(stored["raw_data"], policy=email.policy.default)
    assert message["Subject"] == "Report"
    assert message["Bcc"] is None
    [part] = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert (part.get_filename(), part.get_content()) == ("r.pdf", b"%PDF-1.7")


def test_unverified_sender_is_refused(ses: Any) -> None:
    notifier = Notifier(f"ses://?region={ses.region}", default_from="stranger@elsewhere.io")
    with pytest.raises(DeliveryError, match="MessageRejected"):
        notifier.email("a@example.com", "S", content_text="x")
    assert _sent(ses) == {"simple": [], "raw": []}


@pytest.mark.anyio
async def test_async_and_health(ses: Any) -> None:
    notifier = Notifier(f"ses://?region={ses.region}&from={SENDER}")
    await notifier.aemail("a@example.com", "async", content_text="x")
    await notifier.ahealth()
    assert len(_sent(ses)["simple"]) == 1


def test_unreachable_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    notifier = Notifier(
        f"ses://?region=us-east-1&endpoint_url=http://127.0.0.1:{free_port()}", default_from=SENDER
    )
    with pytest.raises(BackendUnavailableError):
        notifier.email("a@example.com", "S", content_text="x")
