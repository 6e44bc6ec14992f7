"""notify + storage + SES on the moto server: a report stored on S3 is mailed as an attachment."""

from __future__ import annotations

import email
import email.policy
from typing import Any

import pytest

pytestmark = pytest.mark.moto


def test_storage_key_attachment_sent_through_ses(moto: Any) -> None:
    from tausestack import notify
    from tausestack.storage import Storage

    moto.client("s3").create_bucket(Bucket="reports")
    moto.client("ses").verify_email_identity(EmailAddress="reports@acme.io")
    store = Storage("s3://reports/monthly")
    store.binary.put("2026/11.pdf", b"%PDF-1.7 monthly report")

    notifier = notify.Notifier(f"ses://?region={moto.region}&from=Acme Reports <reports@acme.io>")
    message_id = notifier.email(
        ["Ada <ada@example.com>"],
        "November report",
        content_html="<p>The report is attached.</p>",
        attachments=[notify.attachment(notify.StorageKey("2026/11.pdf", storage=store))],
        bcc="audit@acme.io",
    )

    [raw] = moto.get_json("/moto-api/data.json")["ses"]["RawMessage"]
    assert raw["id"] == message_id
    # moto lists our envelope recipients, then adds the message's own To/Cc headers
    assert {"ada@example.com", "audit@acme.io"} <= set(raw["destinations"])
    message = email.message_from_string(raw["raw_data"], policy=email.policy.default)
    assert message["Subject"] == "November report"
    assert message["Bcc"] is None
    assert message.get_body(("plain",)).get_content().strip() == "The report is attached."  # type: ignore[union-attr]
    [part] = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert part.get_filename() == "11.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_content() == b"%PDF-1.7 monthly report"
