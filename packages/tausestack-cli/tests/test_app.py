"""The root command: help, version, and errors as one line plus the next step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tausestack.cli import __version__
from tausestack.cli._app import app


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "run", "routes", "deploy", "doctor", "db", "storage", "secrets"):
        assert command in result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_error_is_one_line_and_a_next_step(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["routes", "--app-dir", str(tmp_path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[0].startswith("Error: no app found in ")
    assert lines[1].startswith("Next step: ")
    assert "tausestack init" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_debug_shows_the_stack_trace(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--debug", "routes", "--app-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.exception is not None
    assert "no app found" in str(result.exception)


def test_unexpected_error_names_its_type(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("app = 1\nraise RuntimeError('boom at import')\n")
    result = runner.invoke(app, ["routes", "--app-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "Error: RuntimeError: boom at import" in result.stderr
    assert "--debug" in result.stderr


def test_module_entry_point_in_a_subprocess(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tausestack.cli", "routes", "--app-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no app found")
    assert "Traceback" not in result.stderr
    help_result = subprocess.run(
        [sys.executable, "-m", "tausestack.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_result.returncode == 0
    assert "Usage" in help_result.stdout


def test_importing_the_package_does_not_import_typer() -> None:
    code = "import sys, tausestack.cli; assert 'typer' not in sys.modules and 'rich' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_help_imports_no_sdk_module() -> None:
    code = (
        "import sys\n"
        "from tausestack.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('tausestack.core', 'fastapi', 'uvicorn', 'pydantic', 'tausestack.web') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True)
