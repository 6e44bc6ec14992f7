"""``tausestack init``: the files, the refusals, and the rendered templates."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tausestack.cli._app import app
from tausestack.cli._scaffold import TEMPLATES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXPECTED = [
    "main.py",
    "app/__init__.py",
    "app/config.py",
    "app/apis/hello/__init__.py",
    "pyproject.toml",
    ".env.example",
    ".gitignore",
    ".dockerignore",
    "Dockerfile",
    "ROADMAP.md",
    "README.md",
    "tests/conftest.py",
    "tests/test_api.py",
]


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_init_writes_a_complete_project(runner: CliRunner, tmp_path: Path, template: str) -> None:
    target = tmp_path / "my-shop"
    result = runner.invoke(app, ["init", str(target), "--template", template])
    assert result.exit_code == 0, result.output
    for relative in EXPECTED:
        assert (target / relative).is_file(), relative
    assert "Next steps" in result.output
    for path in target.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "{{" not in text, path
            if path.suffix == ".py":
                ast.parse(text, filename=str(path))
    pyproject = tomllib.loads((target / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "my-shop"
    dependencies = pyproject["project"]["dependencies"]
    assert any(dep.startswith("tausestack-web>=") for dep in dependencies)
    assert pyproject["tool"]["tausestack"]["app"] == "main:app"
    assert "MY_SHOP_GREETING=Hello" in (target / ".env.example").read_text()


def test_api_template_uses_auth_and_storage(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "notes"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert (target / "app/apis/notes/__init__.py").is_file()
    dependencies = tomllib.loads((target / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {dep.split(">=")[0] for dep in dependencies}
    assert {"tausestack-web", "tausestack-auth", "tausestack-storage"} <= names


def test_init_refuses_a_non_empty_directory(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 1
    assert "is not empty" in result.stderr
    assert "--force" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_init_force_writes_and_keeps_other_files(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    (target / "main.py").write_text("old")
    result = runner.invoke(app, ["init", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert (target / "keep.txt").read_text() == "mine"
    assert "create_app" in (target / "main.py").read_text()


def test_init_in_the_current_directory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "here"
    project.mkdir()
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["init", "."])
    assert result.exit_code == 0, result.output
    assert (project / "main.py").is_file()


@pytest.mark.parametrize("name", ["9lives", "bad name", "dots.are.bad"])
def test_init_refuses_a_bad_name(runner: CliRunner, tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / name)])
    assert result.exit_code == 1
    assert "not a valid project name" in result.stderr
    assert not (tmp_path / name).exists()


def test_init_refuses_an_unknown_template(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x"), "--template", "nope"])
    assert result.exit_code == 1
    assert "unknown template 'nope'" in result.stderr
    assert not (tmp_path / "x").exists()
