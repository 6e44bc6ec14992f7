"""console (default), file and memory backends, and the module-level API."""

from __future__ import annotations

import email
import email.policy
import io
import subprocess
import sys
from pathlib import Path

import pytest

from tausestack import notify
from tausestack.core import BackendUnavailableError, ConfigurationError, UnsupportedOperationError
from tausestack.notify import Notifier, OutgoingEmail
from tausestack.notify.backends.console import ConsoleEmailBackend
from tausestack.notify.backends.file import FileEmailBackend
from tausestack.notify.backends.memory import MemoryEmailBackend


def test_default_is_console(capsys: pytest.CaptureFixture[str]) -> None:
    assert notify.describe() == "console://"
    message_id = notify.email(
        "ada@example.com",
        "Hello",
        content_html="<p>Hi <b>Ada</b></p>",
        attachments=[notify.attachment(b"12345", file_name="a.pdf")],
        bcc="boss@example.com",
    )
    out = capsys.readouterr().out
    assert "To: ada@example.com" in out
    assert "Bcc: boss@example.com" in out
    assert "Subject: Hello" in out
    assert "Hi Ada" in out
    assert "[attachment: a.pdf (application/pdf, 5 bytes)]" in out
    assert message_id.startswith("<")
    assert message_id in out
    assert isinstance(notify.get_notifier().backend, ConsoleEmailBackend)


def test_console_stream() -> None:
    stream = io.StringIO()
    Notifier(ConsoleEmailBackend(stream)).email("a@example.com", "S", content_text="body")
    assert "body" in stream.getvalue()


def test_memory_outbox_and_module_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", "memory://")
    notify.email(["a@example.com", "b@example.com"], "One", content_text="1", cc="c@example.com")
    notify.email("d@example.com", "Two", content_text="2")
    outbox = notify.outbox
    assert [m.subject for m in outbox] == ["One", "Two"]
    first = outbox[0]
    assert isinstance(first, OutgoingEmail)
    assert first.recipients == ("a@example.com", "b@example.com", "c@example.com")
    assert first.text == "1"
    backend = notify.get_notifier().backend
    assert isinstance(backend, MemoryEmailBackend)
    backend.clear()
    assert notify.outbox == []


def test_outbox_only_on_memory() -> None:
    notify.configure("console://")
    with pytest.raises(UnsupportedOperationError, match="memory://"):
        _ = notify.outbox
    with pytest.raises(AttributeError):
        _ = notify.nothing_here  # type: ignore[attr-defined]


@pytest.mark.anyio
async def test_aemail() -> None:
    notifier = Notifier("memory://")
    notify.configure(notifier)
    await notify.aemail("a@example.com", "async", content_text="x")
    await notifier.aemail("b@example.com", "async 2", content_text="y")
    await notify.ahealth()
    await notify.aclose()
    assert [m.subject for m in notifier.outbox] == ["async", "async 2"]


def test_file_backend_writes_eml(tmp_path: Path) -> None:
    directory = tmp_path / "mail"
    notifier = Notifier(f"file://{directory}")
    assert notifier.describe() == f"file://{directory}"
    assert not directory.exists()  # nothing created before the first message
    notifier.email(
        "Ada <ada@example.com>",
        "Report",
        content_text="see attached",
        attachments=[notify.attachment(b"%PDF", file_name="r.pdf")],
        bcc="hidden@example.com",
    )
    notifier.email("b@example.com", "Second", content_text="2")
    files = sorted(directory.glob("*.eml"))
    assert len(files) == 2
    messages = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]
    report = next(m for m in messages if m["Subject"] == "Report")
    assert report["To"] == "Ada <ada@example.com>"
    assert b"hidden@example.com" not in files[0].read_bytes() + files[1].read_bytes()
    assert [part.get_filename() for part in report.iter_attachments()] == ["r.pdf"]  # type: ignore[attr-defined]
    notifier.health()


def test_file_backend_default_directory() -> None:
    Notifier("file://").email("a@example.com", "S", content_text="x")
    assert len(list(Path(".tausestack/mail").glob("*.eml"))) == 1


def test_file_backend_failure_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("file")
    notifier = Notifier(FileEmailBackend(blocker / "mail"))
    with pytest.raises(BackendUnavailableError, match="cannot write"):
        notifier.email("a@example.com", "S", content_text="x")


def test_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="TAUSESTACK_NOTIFY_URL"):
        Notifier("pigeon://")
    with pytest.raises(ConfigurationError, match="unknown option"):
        Notifier("memory://?colour=blue")


def test_configure_reset_describe(monkeypatch: pytest.MonkeyPatch) -> None:
    notify.configure("memory://")
    assert notify.describe() == "memory://"
    notify.reset()
    monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", "smtp://user:hunter2secret@mail.example.com:587")
    assert "hunter2secret" not in notify.describe()
    assert "hunter2secret" not in repr(notify.get_notifier())
    notify.close()


def test_import_is_cheap() -> None:
    code = (
        "import sys, tausestack.notify, tausestack.notify.backends.ses, tausestack.notify.backends.smtp;"
        "bad=[m for m in ('boto3','botocore','pandas','redis') if m in sys.modules];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
