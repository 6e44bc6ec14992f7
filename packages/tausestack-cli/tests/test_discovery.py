"""App discovery: explicit, pyproject, main.py, app/main.py, a factory, app/apis alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tausestack.cli._discovery import discover_app, load_app, project_context
from tausestack.cli._errors import CLIError


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_main_py_with_app(tmp_path: Path) -> None:
    write(tmp_path / "main.py", "from fastapi import FastAPI\napp = FastAPI()\n")
    target = discover_app(tmp_path)
    assert (target.import_string, target.factory) == ("main:app", False)
    assert "main.py defines `app`" in target.found_by


def test_main_py_with_a_factory(tmp_path: Path) -> None:
    write(
        tmp_path / "main.py",
        "from fastapi import FastAPI\ndef create_app():\n    return FastAPI(title='f')\n",
    )
    target = discover_app(tmp_path)
    assert (target.import_string, target.factory) == ("main:create_app", True)
    with project_context(target.project_dir):
        assert load_app(target).title == "f"


def test_app_main_py(tmp_path: Path) -> None:
    write(tmp_path / "app" / "__init__.py", "")
    write(tmp_path / "app" / "main.py", "app = object()\n")
    assert discover_app(tmp_path).import_string == "app.main:app"


def test_pyproject_setting_wins(tmp_path: Path) -> None:
    write(tmp_path / "main.py", "app = 1\n")
    write(tmp_path / "service" / "web.py", "def build():\n    return 2\n")
    write(tmp_path / "pyproject.toml", '[tool.tausestack]\napp = "service.web:build"\n')
    target = discover_app(tmp_path)
    assert (target.import_string, target.factory, target.found_by) == (
        "service.web:build",
        True,
        "[tool.tausestack] app",
    )


def test_explicit_option_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.tausestack]\napp = "main:app"\n')
    assert discover_app(tmp_path, "other:thing").import_string == "other:thing"


def test_apis_only_uses_the_web_factory(tmp_path: Path) -> None:
    write(tmp_path / "app" / "apis" / "hello" / "__init__.py", "")
    target = discover_app(tmp_path)
    assert (target.import_string, target.factory) == ("tausestack.web:create_app", True)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no app found"),
        ({"main.py": "x = 1\n"}, "defines neither `app` nor a factory"),
        ({"main.py": "app = (\n"}, "syntax error"),
        ({"pyproject.toml": "[tool.tausestack]\napp = 3\n"}, "must be a string"),
        ({"pyproject.toml": '[tool.tausestack]\napp = "nocolon"\n'}, "not of the form"),
        ({"pyproject.toml": "[tool\n"}, "not valid TOML"),
    ],
)
def test_errors_say_what_to_do(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    with pytest.raises(CLIError, match=message) as info:
        discover_app(tmp_path)
    assert info.value.hint


def test_load_app_errors(tmp_path: Path) -> None:
    write(tmp_path / "main.py", "app = 1\n")
    target = discover_app(tmp_path, "main:missing")
    with project_context(tmp_path), pytest.raises(CLIError, match="has no attribute 'missing'"):
        load_app(target)
    with project_context(tmp_path), pytest.raises(CLIError, match="cannot import 'nowhere'"):
        load_app(discover_app(tmp_path, "nowhere:app"))


def test_two_projects_in_one_process_do_not_share_modules(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write(tmp_path / name / "main.py", f"app = {name!r}\n")
    for name in ("one", "two"):
        target = discover_app(tmp_path / name)
        with project_context(target.project_dir):
            assert load_app(target) == name
