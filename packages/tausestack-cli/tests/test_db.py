"""``tausestack db ...`` on SQLite (embedded) and PostgreSQL (the real server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tausestack.cli._app import app

MODELS = """\
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tausestack.database import Base


class Gadget(Base):
    __tablename__ = "cli_test_gadgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    directory = tmp_path / "proj"
    (directory / "models_pkg").mkdir(parents=True)
    (directory / "models_pkg" / "__init__.py").write_text("")
    (directory / "models_pkg" / "gadgets.py").write_text(MODELS)
    return directory


def db(runner: CliRunner, project: Path, *args: str, url: str | None = None) -> tuple[int, str]:
    extra = ["--url", url] if url else []
    result = runner.invoke(app, ["db", *args, "--app-dir", str(project), *extra])
    return result.exit_code, result.output + result.stderr


def round_trip(runner: CliRunner, project: Path, url: str | None) -> None:
    code, output = db(runner, project, "history", url=None)
    assert code == 1
    assert "Error:" in output
    code, output = db(
        runner, project, "revision", "-m", "add gadgets", "--models", "models_pkg.gadgets", url=url
    )
    assert code == 0, output
    assert "Created revision" in output
    (script,) = (project / "migrations" / "versions").glob("*_add_gadgets.py")
    revision = script.name.split("_")[0]
    assert "cli_test_gadgets" in script.read_text()
    code, output = db(runner, project, "current", url=url)
    assert output.strip() == "(base)"
    code, output = db(runner, project, "upgrade", url=url)
    assert code == 0, output
    assert f"Database at revision {revision}" in output
    code, output = db(runner, project, "current", url=url)
    assert output.strip() == revision
    code, output = db(runner, project, "history")
    assert f"<base> -> {revision} (head), add gadgets" in output
    code, output = db(runner, project, "downgrade", url=url)
    assert code == 0, output
    assert "Database at revision (base)" in output


def test_db_commands_on_sqlite(runner: CliRunner, project: Path) -> None:
    round_trip(runner, project, None)
    assert (project / ".tausestack" / "app.db").is_file()


@pytest.mark.postgres
def test_db_commands_on_postgres(runner: CliRunner, project: Path, postgres_url: str) -> None:
    round_trip(runner, project, postgres_url)


def test_db_revision_without_models_is_refused(project: Path) -> None:
    # a fresh process: no model module imported by another test
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tausestack.cli",
            "db",
            "revision",
            "-m",
            "nothing",
            "--app-dir",
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "no models" in result.stderr
    assert "Next step:" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_empty_revision(runner: CliRunner, project: Path) -> None:
    code, output = db(runner, project, "revision", "-m", "manual step", "--empty")
    assert code == 0, output
    assert len(list((project / "migrations" / "versions").glob("*_manual_step.py"))) == 1
