"""``tausestack routes`` and ``tausestack doctor`` on a generated project (CliRunner, in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tausestack.cli._app import app


@pytest.fixture
def project(runner: CliRunner, tmp_path: Path) -> Path:
    result = runner.invoke(app, ["init", str(tmp_path / "shop")])
    assert result.exit_code == 0, result.output
    return tmp_path / "shop"


def test_routes_table(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["routes", "--app-dir", str(project)])
    assert result.exit_code == 0, result.output + result.stderr
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│ /" in line}
    assert "public" in lines["/api/hello"]
    assert "required" in lines["/api/notes/{note_id}"]
    assert "notes" in lines["/api/notes/{note_id}"]


def test_routes_json(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["routes", "--app-dir", str(project), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    by_key = {(row["path"], tuple(row["methods"])): row for row in rows}
    assert by_key[("/api/hello", ("GET",))]["auth"] == "public"
    assert by_key[("/api/notes", ("POST",))] == {
        "path": "/api/notes",
        "methods": ["POST"],
        "auth": "required",
        "tags": ["notes"],
    }
    assert by_key[("/healthz", ("GET",))]["auth"] == "public"


def test_routes_shows_roles(runner: CliRunner, tmp_path: Path) -> None:
    api = tmp_path / "app" / "apis" / "admin"
    api.mkdir(parents=True)
    (api / "__init__.py").write_text(
        "from tausestack import web\n\nrouter = web.router(roles=['admin'], tags=['admin'])\n\n\n"
        "@router.get('/stats')\ndef stats() -> dict[str, int]:\n    return {}\n"
    )
    result = runner.invoke(app, ["routes", "--app-dir", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output + result.stderr
    rows = {row["path"]: row for row in json.loads(result.output)}
    assert rows["/api/stats"]["auth"] == "roles:admin"


def test_doctor_all_good(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 0, result.output
    assert "Everything is configured and reachable" in result.output
    for name in ("storage", "secrets", "auth", "app"):
        assert name in result.output
    assert "file://.tausestack/storage" in result.output


def test_doctor_reports_an_unreachable_backend(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAUSESTACK_CACHE_URL", "redis://:s3cr3t-pass@127.0.0.1:1/0")
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output
    assert "✗ cache" in result.output
    assert "Next step:" in result.output
    assert "TAUSESTACK_CACHE_URL" in result.output
    assert "s3cr3t-pass" not in result.output


def test_doctor_reports_a_misconfigured_module(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAUSESTACK_STORAGE_URL", "nosuchscheme://x")
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 1
    assert "✗ storage" in result.output
    assert "nosuchscheme" in result.output


def test_doctor_reads_the_project_env_file(runner: CliRunner, project: Path) -> None:
    (project / ".env").write_text("TAUSESTACK_STORAGE_URL=memory://\n")
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 0, result.output
    assert "memory://" in result.output


def test_doctor_reports_a_broken_app(runner: CliRunner, project: Path) -> None:
    (project / "app" / "apis" / "broken").mkdir()
    (project / "app" / "apis" / "broken" / "__init__.py").write_text("raise ValueError('bad router')\n")
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 1
    assert "✗ app" in result.output
    assert "broken" in result.output


def test_doctor_checks_notify_health(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "notify" in line)
    assert "ok" in row
    assert "console://" in row


def test_doctor_reports_an_unreachable_smtp_server(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tausestack.core.testing import free_port

    monkeypatch.setenv(
        "TAUSESTACK_NOTIFY_URL", f"smtp://mailer:m4il-s3cret@127.0.0.1:{free_port()}?timeout=5s"
    )
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 1, result.output
    assert "✗ notify" in result.output
    assert "cannot connect" in result.output
    assert "TAUSESTACK_NOTIFY_URL" in result.output
    assert "m4il-s3cret" not in result.output
    assert "✗ storage" not in result.output  # only notify failed


def test_doctor_reports_refused_smtp_credentials(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult
    except ImportError:
        from tausestack.core.testing import service_missing

        service_missing("aiosmtpd is not installed, so the SMTP doctor test cannot run")
    from tausestack.core.testing import free_port

    def refuse(*args: object) -> AuthResult:
        return AuthResult(success=False, handled=False)

    port = free_port()
    controller = Controller(
        object(), hostname="127.0.0.1", port=port, authenticator=refuse, auth_require_tls=False
    )
    controller.start()
    try:
        monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", f"smtp://mailer:wr0ng-s3cret@127.0.0.1:{port}?timeout=5s")
        result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    finally:
        controller.stop()
    assert result.exit_code == 1, result.output
    assert "✗ notify" in result.output
    assert "refused the login" in result.output
    assert "credentials" in result.output
    assert "wr0ng-s3cret" not in result.output


def test_doctor_reports_an_unwritable_mail_directory(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "blocker").write_text("a regular file")
    monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", "file://blocker/mail")
    result = runner.invoke(app, ["doctor", "--app-dir", str(project)])
    assert result.exit_code == 1, result.output
    assert "✗ notify" in result.output
    assert "Not a directory" in result.output
    assert "writable" in result.output
    assert (project / "blocker").read_text() == "a regular file"
