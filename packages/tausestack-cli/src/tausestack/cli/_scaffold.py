"""``tausestack init``: write a runnable project from a template.

Templates live in ``tausestack/cli/templates/``: ``common/`` is shared, ``<template>/`` adds or
overrides files. A file ending in ``.tmpl`` has its ``{{placeholders}}`` filled in and the suffix
dropped; a leading ``dot-`` becomes ``.`` (``dot-env.example`` → ``.env.example``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from tausestack.cli._console import console
from tausestack.cli._errors import CLIError
from tausestack.cli._version import __version__

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["TEMPLATES", "ProjectResult", "create_project", "print_next_steps", "render_context"]


@dataclass(frozen=True)
class TemplateSpec:
    """A project template: what it shows and which TauseStack distributions it depends on."""

    description: str
    packages: tuple[str, ...]


TEMPLATES: dict[str, TemplateSpec] = {
    "api": TemplateSpec(
        "a public hello route and per-user notes behind auth, kept in storage",
        ("tausestack-web", "tausestack-auth", "tausestack-storage", "tausestack-secrets", "tausestack-cli"),
    ),
    "minimal": TemplateSpec("one public hello route", ("tausestack-web", "tausestack-cli")),
}

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


@dataclass
class ProjectResult:
    """What :func:`create_project` wrote."""

    name: str
    directory: Path
    template: str
    written: list[Path] = field(default_factory=list)


def create_project(target: Path, *, template: str = "api", force: bool = False) -> ProjectResult:
    """Create the project ``target.name`` in directory ``target`` from ``template``.

    Refuses (with :class:`CLIError`, nothing written) an unknown template, a name that is not a
    valid project name, and a non-empty directory unless ``force`` (then template files are
    overwritten and other files kept).

    >>> create_project(Path("shop")).written[0].name  # doctest: +SKIP
    'pyproject.toml'
    """
    spec = TEMPLATES.get(template)
    if spec is None:
        raise CLIError(
            f"unknown template {template!r}", hint=f"choose one of: {', '.join(sorted(TEMPLATES))}"
        )
    directory = target.resolve()
    name = directory.name
    if not _NAME.match(name):
        raise CLIError(
            f"{name!r} is not a valid project name",
            hint="use letters, digits, '-' and '_', starting with a letter (for example: my-api)",
        )
    if directory.exists() and not directory.is_dir():
        raise CLIError(f"{directory} exists and is not a directory", hint="choose another name")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise CLIError(
            f"directory {directory} is not empty",
            hint="choose a new name, or pass --force to write the template files into it",
        )
    context = render_context(name, spec)
    planned = _plan(template, context)
    result = ProjectResult(name=name, directory=directory, template=template)
    for relative, content in planned:
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        result.written.append(path)
    return result


def render_context(name: str, spec: TemplateSpec) -> dict[str, str]:
    """The values of the template placeholders for project ``name``."""
    package = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    dependencies = "\n".join(f'    "{_requirement(dist)}",' for dist in spec.packages)
    return {
        "name": name,
        "package": package,
        "title": name.replace("-", " ").replace("_", " ").title(),
        "env_prefix": package.upper() + "_",
        "dependencies": dependencies,
        "cli_version": __version__,
    }


def print_next_steps(result: ProjectResult) -> None:
    """Tell the user what was made and the three commands to try it."""
    out = console()
    out.print(
        f"[green]✓[/green] Created [bold]{result.name}[/bold] ({result.template} template, "
        f"{len(result.written)} files) in {result.directory}"
    )
    try:
        shown = result.directory.relative_to(Path.cwd())
    except ValueError:
        shown = result.directory
    out.print("\nNext steps:")
    out.print(f"  cd {shown}")
    out.print('  pip install -e ".\\[test]"     [dim]# or: uv sync --extra test[/dim]')
    out.print("  pytest                       [dim]# the project's own tests[/dim]")
    out.print("  tausestack run               [dim]# http://127.0.0.1:8000/docs[/dim]")


def _requirement(distribution: str) -> str:
    """``tausestack-web>=0.1,<0.2``: the installed version's minor series (this CLI's when absent)."""
    try:
        version = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        version = __version__
    major, minor = (int(part) for part in re.findall(r"\d+", version)[:2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"{distribution}>={major}.{minor},<{upper}"


def _plan(template: str, context: dict[str, str]) -> list[tuple[Path, str]]:
    """``(relative path, content)`` of every file, ``common`` first, then the template's overrides."""
    root = files("tausestack.cli").joinpath("templates")
    chosen: dict[Path, str] = {}
    for layer in ("common", template):
        for relative, source in _walk(root.joinpath(layer), Path()):
            text = source.read_text(encoding="utf-8")
            if relative.suffix == ".tmpl":
                relative = relative.with_suffix("")
                text = _render(text, context, relative)
            chosen[relative] = text
    return sorted(chosen.items(), key=lambda item: (len(item[0].parts), str(item[0])))


def _walk(node: Traversable, relative: Path) -> list[tuple[Path, Traversable]]:
    found: list[tuple[Path, Traversable]] = []
    for child in node.iterdir():
        name = child.name
        if name == "__pycache__":
            continue
        if name.startswith("dot-"):
            name = "." + name[len("dot-") :]
        if child.is_dir():
            found.extend(_walk(child, relative / name))
        else:
            found.append((relative / name, child))
    return found


def _render(text: str, context: dict[str, str], relative: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in context:
            raise CLIError(
                f"template file {relative} uses an unknown placeholder {key!r}", hint="report this bug"
            )
        return context[key]

    return _PLACEHOLDER.sub(replace, text)
