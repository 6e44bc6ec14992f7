"""Router discovery: ``app/apis/<name>/__init__.py`` and ``app/routes/<name>.py`` with a ``router``.

Deterministic (apis first, then routes, each sorted by name) and strict: a module that fails to
import, has no ``router``, or clashes with another name stops start-up with an error naming it.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fastapi import APIRouter

from tausestack.core import ConfigurationError, get_logger, redact
from tausestack.web._router import RouterOptions, router_options

__all__ = [
    "RouterDiscoveryError",
    "RouterImportError",
    "RouterNameClashError",
    "DuplicateRouteError",
    "DiscoveredRouter",
    "RouterModule",
    "find_router_modules",
    "discover_routers",
    "load_routers_config",
]

_log = get_logger("web.discovery")

Source = Literal["apis", "routes"]

#: Project roots this process put on ``sys.path`` for discovery (most recent last).
_inserted_roots: list[str] = []


class RouterDiscoveryError(ConfigurationError):
    """Start-up stopped because a router module is broken; ``module`` names it."""

    def __init__(self, message: str, *, module: str | None = None, path: Path | None = None) -> None:
        super().__init__(message)
        self.module = module
        self.path = path


class RouterImportError(RouterDiscoveryError):
    """A router module raised while being imported (the cause is chained)."""


class RouterNameClashError(RouterDiscoveryError):
    """Two router modules have the same name (``app/apis/x`` and ``app/routes/x.py``...)."""


class DuplicateRouteError(RouterDiscoveryError):
    """Two routes answer the same method and path."""


@dataclass(frozen=True)
class RouterModule:
    """A module discovery will import: its router name, dotted module name and file."""

    name: str
    module: str
    path: Path
    root: Path
    source: Source


@dataclass(frozen=True)
class DiscoveredRouter:
    """A mounted router: where it came from and what it declares."""

    name: str
    module: str
    path: Path
    source: Source
    router: APIRouter
    options: RouterOptions | None


def _package_of(directory: Path, project_dir: Path) -> tuple[Path, str]:
    """The sys.path root and the dotted package name of a router directory."""
    directory = directory.resolve()
    project = project_dir.resolve()
    try:
        relative = directory.relative_to(project)
        root = project
    except ValueError:  # outside the project: treat it as <root>/app/apis
        root = directory.parent.parent
        relative = directory.relative_to(root)
    parts = relative.parts
    if not parts:
        raise RouterDiscoveryError(f"the router directory {directory} cannot be the project directory itself")
    for part in parts:
        if not part.isidentifier():
            raise RouterDiscoveryError(
                f"{directory} cannot be imported: {part!r} is not a valid Python package name", path=directory
            )
    return root, ".".join(parts)


def _candidates(directory: Path, source: Source) -> Iterable[tuple[str, Path]]:
    for entry in sorted(directory.iterdir(), key=lambda item: item.name):
        if entry.name.startswith(("_", ".")):
            continue
        if source == "apis":
            if entry.is_dir() and (entry / "__init__.py").is_file():
                yield entry.name, entry / "__init__.py"
        elif entry.is_file() and entry.suffix == ".py":
            yield entry.stem, entry


def find_router_modules(
    project_dir: Path, *, apis_dir: Path | None, routes_dir: Path | None
) -> list[RouterModule]:
    """The router modules under ``apis_dir`` and ``routes_dir`` in mounting order (no import)."""
    found: list[RouterModule] = []
    for directory, source in ((apis_dir, "apis"), (routes_dir, "routes")):
        if directory is None or not directory.is_dir():
            continue
        root, package = _package_of(directory, project_dir)
        for name, path in _candidates(directory, source):  # type: ignore[arg-type]
            if not name.isidentifier():
                raise RouterDiscoveryError(
                    f"{path} cannot be imported: {name!r} is not a valid Python module name "
                    "(use letters, digits and underscores, or start the name with '_' to leave it out)",
                    path=path,
                )
            found.append(RouterModule(name, f"{package}.{name}", path, root, source))  # type: ignore[arg-type]
    return found


def _stale(module: object, root: Path) -> bool:
    """Whether an imported module or package comes from outside ``root``."""
    file = getattr(module, "__file__", None)
    locations = [str(Path(file).parent)] if file else [str(item) for item in getattr(module, "__path__", [])]
    return any(not Path(location).resolve().is_relative_to(root) for location in locations)


def _prepare_import(root: Path, dotted: str) -> None:
    """Put ``root`` first on sys.path and forget a same-named package imported from elsewhere."""
    root_text = str(root)
    for other in [item for item in _inserted_roots if item != root_text]:
        _inserted_roots.remove(other)
        while other in sys.path:
            sys.path.remove(other)
    if root_text not in sys.path:
        sys.path.insert(0, root_text)
        _inserted_roots.append(root_text)
    parts = dotted.split(".")
    prefixes = [".".join(parts[: index + 1]) for index in range(len(parts))]
    if any(name in sys.modules and _stale(sys.modules[name], root) for name in prefixes):
        top = parts[0]
        for name in [name for name in sys.modules if name == top or name.startswith(top + ".")]:
            del sys.modules[name]


def _where(exc: BaseException, path: Path) -> str:
    if isinstance(exc, SyntaxError) and exc.filename:
        return f" ({exc.filename}, line {exc.lineno})"
    frames = traceback.extract_tb(exc.__traceback__)
    project_frames = [frame for frame in frames if "importlib" not in frame.filename]
    frame = project_frames[-1] if project_frames else (frames[-1] if frames else None)
    if frame is None:
        return f" ({path})"
    return f" ({frame.filename}, line {frame.lineno})"


def _forget_if_stale(entry: RouterModule) -> None:
    """Drop an already imported module of this name that was loaded from another file."""
    loaded = sys.modules.get(entry.module)
    file = getattr(loaded, "__file__", None) if loaded is not None else None
    if loaded is not None and (not file or os.path.realpath(file) != os.path.realpath(entry.path)):
        top = entry.module.split(".")[0]
        for name in [name for name in sys.modules if name == top or name.startswith(top + ".")]:
            del sys.modules[name]


def _import(entry: RouterModule) -> object:
    _forget_if_stale(entry)
    try:
        return importlib.import_module(entry.module)
    except (Exception, SystemExit) as exc:
        sys.modules.pop(entry.module, None)
        cause = redact(f"{type(exc).__name__}: {exc}")
        raise RouterImportError(
            f"router module {entry.module} failed to import{_where(exc, entry.path)}: {cause}",
            module=entry.module,
            path=entry.path,
        ) from exc


def discover_routers(
    project_dir: Path, *, apis_dir: Path | None, routes_dir: Path | None
) -> list[DiscoveredRouter]:
    """Import every router module and return its router, in mounting order.

    Errors (all :class:`RouterDiscoveryError`, naming the module): the import failed
    (:class:`RouterImportError`, the cause chained), the module has no module-level ``router``
    or it is not an ``APIRouter``, or two routers have the same name (:class:`RouterNameClashError`).
    """
    routers: list[DiscoveredRouter] = []
    by_name: dict[str, DiscoveredRouter] = {}
    importlib.invalidate_caches()  # files written since the last import are seen (once, not per module)
    prepared: set[tuple[Path, str]] = set()
    for entry in find_router_modules(project_dir, apis_dir=apis_dir, routes_dir=routes_dir):
        package = (entry.root.resolve(), entry.module.rpartition(".")[0])
        if package not in prepared:  # once per directory: its package decides where modules come from
            _prepare_import(*package)
            prepared.add(package)
        module = _import(entry)
        api_router = getattr(module, "router", None)
        if api_router is None:
            raise RouterDiscoveryError(
                f"router module {entry.module} ({entry.path}) has no module-level `router`; "
                "define `router = APIRouter()` there, or start the file name with '_' to keep "
                "a helper module out of discovery",
                module=entry.module,
                path=entry.path,
            )
        if not isinstance(api_router, APIRouter):
            raise RouterDiscoveryError(
                f"router module {entry.module}: `router` is a {type(api_router).__name__}, "
                "not a fastapi.APIRouter",
                module=entry.module,
                path=entry.path,
            )
        options = router_options(api_router)
        name = options.name if options is not None and options.name else entry.name
        found = DiscoveredRouter(name, entry.module, entry.path, entry.source, api_router, options)
        previous = by_name.get(name)
        if previous is not None:
            raise RouterNameClashError(
                f"two routers are named {name!r}: {previous.module} ({previous.path}) and "
                f"{entry.module} ({entry.path}); rename one of them",
                module=entry.module,
                path=entry.path,
            )
        by_name[name] = found
        routers.append(found)
        _log.debug("discovered router %s from %s", name, entry.module)
    return routers


def load_routers_config(path: Path) -> dict[str, bool]:
    """Databutton's ``routers.json``: ``{"routers": {"<name>": {"disableAuth": true}}}`` -> name: disabled.

    A missing file is an empty config; a malformed one is a :class:`RouterDiscoveryError`.
    """
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RouterDiscoveryError(f"{path} is not valid JSON: {exc}", path=path) from exc
    routers = data.get("routers") if isinstance(data, dict) else None
    if not isinstance(routers, dict):
        raise RouterDiscoveryError(
            f'{path} must look like {{"routers": {{"<name>": {{"disableAuth": false}}}}}}', path=path
        )
    result: dict[str, bool] = {}
    for name, entry in routers.items():
        if not isinstance(entry, dict):
            raise RouterDiscoveryError(f"{path}: the entry for router {name!r} must be an object", path=path)
        disable = entry.get("disableAuth", False)
        if not isinstance(disable, bool):
            raise RouterDiscoveryError(
                f"{path}: disableAuth of router {name!r} must be true or false", path=path
            )
        result[str(name)] = disable
    return result
