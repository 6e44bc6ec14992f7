"""Finding the ASGI app of a project, the way ``tausestack run``, ``routes`` and ``deploy`` do.

In order: an explicit ``--app module:attr``; ``[tool.tausestack] app = "module:attr"`` in
``pyproject.toml``; ``main.py`` defining ``app`` (or a factory ``create_app``); ``app/main.py``
likewise; and, for a Databutton-style project with only ``app/apis/``, the factory
``tausestack.web:create_app``. Files are read with :mod:`ast`, never imported, so discovery is
cheap and has no side effects; :func:`load_app` imports the app when a command needs it.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tausestack.cli._errors import CLIError
from tausestack.cli._pyproject import tool_settings

__all__ = ["AppTarget", "discover_app", "load_app", "project_context"]

_FACTORY_NAMES = ("create_app", "app_factory", "make_app", "get_app")
_WEB_FACTORY = "tausestack.web:create_app"


@dataclass(frozen=True)
class AppTarget:
    """Where a project's app lives: ``module:attribute`` importable from ``project_dir``."""

    project_dir: Path
    module: str
    attribute: str
    factory: bool
    found_by: str

    @property
    def import_string(self) -> str:
        """``module:attribute``, as uvicorn takes it."""
        return f"{self.module}:{self.attribute}"


def discover_app(project_dir: Path, explicit: str | None = None) -> AppTarget:
    """Find the app of the project in ``project_dir``.

    Raises :class:`CLIError` (with the next step) when nothing is found or a setting is malformed.

    >>> discover_app(Path("examples/ai-api")).import_string  # doctest: +SKIP
    'main:app'
    """
    project_dir = project_dir.resolve()
    if not project_dir.is_dir():
        raise CLIError(f"project directory {project_dir} does not exist", hint="pass --app-dir DIRECTORY")
    if explicit:
        return _from_setting(project_dir, explicit, None, "--app option")
    settings = tool_settings(project_dir)
    setting = settings.get("app")
    if setting is not None:
        if not isinstance(setting, str):
            raise CLIError(
                "[tool.tausestack] app in pyproject.toml must be a string 'module:attribute'",
                hint='write for example: app = "main:app"',
            )
        factory = settings.get("factory")
        return _from_setting(
            project_dir, setting, factory if isinstance(factory, bool) else None, "[tool.tausestack] app"
        )
    for relative in ("main.py", "app/main.py"):
        found = _from_file(project_dir, relative)
        if found is not None:
            return found
    if (project_dir / "app" / "apis").is_dir() or (project_dir / "app" / "routes").is_dir():
        module, attribute = _WEB_FACTORY.split(":")
        return AppTarget(
            project_dir, module, attribute, True, "no main.py: app/apis served by tausestack.web"
        )
    raise CLIError(
        f"no app found in {project_dir}",
        hint='create main.py with `app = create_app()`, set [tool.tausestack] app = "module:attr" '
        "in pyproject.toml, or start a project with `tausestack init NAME`",
    )


def _from_setting(project_dir: Path, setting: str, factory: bool | None, origin: str) -> AppTarget:
    module, sep, attribute = setting.partition(":")
    if not sep or not module or not attribute.isidentifier():
        raise CLIError(
            f"{origin}: {setting!r} is not of the form 'module:attribute'", hint='for example "main:app"'
        )
    if factory is None:
        factory = _defines_function(_module_file(project_dir, module), attribute)
    return AppTarget(project_dir, module, attribute, factory, origin)


def _from_file(project_dir: Path, relative: str) -> AppTarget | None:
    path = project_dir / relative
    if not path.is_file():
        return None
    module = relative[: -len(".py")].replace("/", ".")
    names = _top_level_names(path)
    if names.get("app") == "value":
        return AppTarget(project_dir, module, "app", False, f"{relative} defines `app`")
    for name in _FACTORY_NAMES:
        if names.get(name) == "function":
            return AppTarget(project_dir, module, name, True, f"{relative} defines the factory `{name}()`")
    if names.get("app") == "function":
        return AppTarget(project_dir, module, "app", True, f"{relative} defines the factory `app()`")
    raise CLIError(
        f"{path} defines neither `app` nor a factory ({', '.join(_FACTORY_NAMES)})",
        hint=f"add `app = create_app()` to {relative}, or name the app in [tool.tausestack] app",
    )


def _module_file(project_dir: Path, module: str) -> Path | None:
    base = project_dir.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _defines_function(path: Path | None, attribute: str) -> bool:
    return path is not None and _top_level_names(path).get(attribute) == "function"


def _top_level_names(path: Path) -> dict[str, str]:
    """Top-level names of a Python file: ``"function"`` for defs, ``"value"`` for assignments."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise CLIError(f"{path} has a syntax error: {exc.msg} (line {exc.lineno})", hint="fix it") from exc
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names[node.name] = "function"
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = "value"
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            names[node.target.id] = "value"
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                names[alias.asname or alias.name] = "value"
    return names


@contextlib.contextmanager
def project_context(project_dir: Path) -> Iterator[None]:
    """Run with ``project_dir`` as working directory and first on ``sys.path`` (then restore both).

    The project's ``.env`` and relative paths (``.tausestack/...``) resolve as when it is served.
    """
    previous = Path.cwd()
    entry = str(project_dir)
    os.chdir(project_dir)
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        os.chdir(previous)
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def load_app(target: AppTarget) -> Any:
    """Import the app ``target`` names (calling the factory), inside :func:`project_context`.

    Raises :class:`CLIError` when the module cannot be imported or the attribute is missing.
    """
    _forget_other_projects(target)
    try:
        module = importlib.import_module(target.module)
    except ImportError as exc:
        raise CLIError(
            f"cannot import {target.module!r} from {target.project_dir}: {exc}",
            hint="check the module name and that its dependencies are installed (use --debug for the trace)",
        ) from exc
    try:
        obj = getattr(module, target.attribute)
    except AttributeError:
        raise CLIError(
            f"module {target.module!r} has no attribute {target.attribute!r}",
            hint="check [tool.tausestack] app in pyproject.toml or the --app option",
        ) from None
    return obj() if target.factory else obj


def _forget_other_projects(target: AppTarget) -> None:
    """Drop cached modules of the same top-level name imported from another directory.

    Projects all call their modules ``main`` and ``app``; a second project loaded in the same
    process must not get the first one's modules.
    """
    tops = {target.module.split(".")[0], "app", "main"} - {"tausestack"}
    for name in [n for n in sys.modules if n.split(".")[0] in tops]:
        file = getattr(sys.modules[name], "__file__", None)
        if file is None or not Path(file).resolve().is_relative_to(target.project_dir):
            del sys.modules[name]
