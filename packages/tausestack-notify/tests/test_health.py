"""``health()``/``ahealth()`` and ``close()``/``aclose()`` of every backend, the Notifier and the module.

Real services only: an aiosmtpd server (also one started then stopped), the moto server for SES,
and real directories for file://.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from tausestack import notify
from tausestack.core import AccessDeniedError, BackendUnavailableError, ConfigurationError
from tausestack.core.testing import free_port
from tausestack.notify import Notifier
from tausestack.notify.backends.console import ConsoleEmailBackend
from tausestack.notify.backends.file import FileEmailBackend
from tausestack.notify.backends.memory import MemoryEmailBackend

SENDER = "noreply@acme.io"


def _tree(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty directory of its own (tmp_path also holds the test's working directory)."""
    path = tmp_path / "root"
    path.mkdir()
    return path


# console and memory ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_console_and_memory_are_always_healthy() -> None:
    stream = io.StringIO()
    for backend in (ConsoleEmailBackend(stream), MemoryEmailBackend()):
        notifier = Notifier(backend)
        assert notifier.health() is None
        assert await notifier.ahealth() is None
        notifier.close()
        await notifier.aclose()
    assert stream.getvalue() == ""  # a health check prints nothing


# file --------------------------------------------------------------------------------------


def test_file_health_on_a_missing_directory_leaves_nothing_behind(root: Path) -> None:
    directory = root / "a" / "b" / "mail"
    FileEmailBackend(directory).health()
    assert _tree(root) == []  # created for the probe, then removed again
    notifier = Notifier(FileEmailBackend(directory))
    notifier.email("ada@example.com", "S", content_text="x")  # still creates it on first send
    assert len(list(directory.glob("*.eml"))) == 1


def test_file_health_on_an_existing_directory_keeps_its_files(root: Path) -> None:
    directory = root / "mail"
    notifier = Notifier(f"file://{directory}")
    notifier.email("ada@example.com", "S", content_text="x")
    before = _tree(root)
    notifier.health()
    assert _tree(root) == before
    assert not [name for name in os.listdir(directory) if name.startswith(".")]


def test_file_health_under_a_regular_file(root: Path) -> None:
    blocker = root / "not-a-dir"
    blocker.write_text("file")
    notifier = Notifier(FileEmailBackend(blocker / "mail"))
    with pytest.raises(BackendUnavailableError, match="cannot be written") as info:
        notifier.health()
    assert str(blocker / "mail") in str(info.value)
    assert "Not a directory" in str(info.value)
    assert _tree(root) == ["not-a-dir"]
    assert blocker.read_text() == "file"


def test_file_health_when_the_directory_is_a_file(root: Path) -> None:
    target = root / "mail"
    target.write_text("not a directory")
    with pytest.raises(BackendUnavailableError, match="not a directory"):
        FileEmailBackend(target).health()
    assert _tree(root) == ["mail"]


@pytest.mark.anyio
async def test_file_ahealth(root: Path) -> None:
    blocker = root / "blocker"
    blocker.write_bytes(b"")
    await Notifier(FileEmailBackend(root / "ok")).ahealth()
    with pytest.raises(BackendUnavailableError):
        await Notifier(FileEmailBackend(blocker / "mail")).ahealth()
    assert _tree(root) == ["blocker"]


# smtp --------------------------------------------------------------------------------------


def test_smtp_health_runs_noop_and_quit(smtp_server: Any) -> None:
    Notifier(smtp_server.url()).health()
    assert smtp_server.commands == ["NOOP", "QUIT"]
    assert smtp_server.received == []  # nothing was sent


def test_smtp_health_logs_in(smtp_auth_server: Any) -> None:
    Notifier(smtp_auth_server.url("mailer:s3cret-pass")).health()
    assert smtp_auth_server.logins == [("mailer", "s3cret-pass")]
    assert smtp_auth_server.commands == ["NOOP", "QUIT"]


def test_smtp_health_wrong_credentials(smtp_auth_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    notifier = Notifier(smtp_auth_server.url("mailer:wrong-pass-987"))
    with caplog.at_level(logging.DEBUG), pytest.raises(AccessDeniedError, match="refused the login") as info:
        notifier.health()
    assert set(smtp_auth_server.logins) == {("mailer", "wrong-pass-987")}  # it really tried
    assert "NOOP" not in smtp_auth_server.commands
    ours = [record.getMessage() for record in caplog.records if record.name.startswith("tausestack")]
    shown = str(info.value) + repr(info.value) + "\n".join(ours)
    assert "wrong-pass-987" not in shown
    assert info.value.__suppress_context__  # raised "from None": no smtplib traceback to leak


@pytest.mark.anyio
async def test_smtp_health_on_a_stopped_server(stopped_smtp_server: Any) -> None:
    notifier = Notifier(stopped_smtp_server.url("mailer:s3cret-pass"))
    with pytest.raises(BackendUnavailableError, match="cannot connect") as info:
        notifier.health()
    assert "s3cret-pass" not in str(info.value)
    assert f"127.0.0.1:{stopped_smtp_server.port}" in str(info.value)
    with pytest.raises(BackendUnavailableError):
        await notifier.ahealth()


def test_smtp_health_credentials_without_auth_offered(smtp_server: Any) -> None:
    with pytest.raises(ConfigurationError, match="does not offer AUTH") as info:
        Notifier(smtp_server.url("mailer:s3cret-pass")).health()
    assert "s3cret-pass" not in str(info.value)


def test_smtp_health_starttls_required_but_not_offered(smtp_server: Any) -> None:
    with pytest.raises(ConfigurationError, match="STARTTLS"):
        Notifier(f"{smtp_server.url()}&starttls=true").health()
    assert "NOOP" not in smtp_server.commands


# ses ---------------------------------------------------------------------------------------


@pytest.mark.moto
def test_ses_health_close_and_reopen(moto: Any) -> None:
    moto.client("ses").verify_email_identity(EmailAddress=SENDER)
    notifier = Notifier(f"ses://?region={moto.region}&from={SENDER}")
    notifier.health()
    backend: Any = notifier.backend
    first = backend.client
    notifier.close()
    assert backend._client is None
    notifier.close()  # twice is fine
    notifier.email("ada@example.com", "after close", content_text="x")  # reopens
    assert backend.client is not first
    notifier.health()


@pytest.mark.moto
@pytest.mark.anyio
async def test_ses_ahealth_and_aclose(moto: Any) -> None:
    notify.configure(f"ses://?region={moto.region}")
    await notify.ahealth()
    await notify.aclose()
    await notify.ahealth()


def test_ses_health_unreachable_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-value")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    notifier = Notifier(f"ses://?region=us-east-1&endpoint_url=http://127.0.0.1:{free_port()}")
    with pytest.raises(BackendUnavailableError, match="unreachable") as info:
        notifier.health()
    assert "testing-secret-value" not in str(info.value)


# module level ------------------------------------------------------------------------------


def test_module_health_uses_the_environment(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = root / "blocker"
    blocker.write_text("x")
    monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", f"file://{blocker}/mail")
    with pytest.raises(BackendUnavailableError, match="cannot be written"):
        notify.health()
    notify.configure(f"file://{root}/mail")
    notify.health()
    assert _tree(root) == ["blocker"]


@pytest.mark.anyio
async def test_module_close_builds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", "pigeon://")  # would fail if it were built
    notify.close()
    await notify.aclose()
    assert not notify._default.is_built
    notify.configure("memory://")
    notify.email("a@example.com", "S", content_text="x")
    notify.close()
    await notify.aclose()
    assert notify.describe() == "memory://"  # still configured after close
    assert [m.subject for m in notify.outbox] == ["S"]
