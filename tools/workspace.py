"""The monorepo as data: its packages, versions, sibling dependencies and extras."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["ROOT", "META", "Package", "load_packages", "compatible_range", "read_version"]

ROOT = Path(__file__).resolve().parent.parent
META = "tausestack"
_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class Package:
    """One distribution under ``packages/``."""

    name: str
    path: Path
    version: str
    dependencies: tuple[str, ...]
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tool: dict[str, Any] = field(default_factory=dict)

    @property
    def module(self) -> str | None:
        """The import name (``tausestack.storage``), or None for the meta-package."""
        if self.name == META:
            return None
        return "tausestack." + self.name.removeprefix("tausestack-")

    @property
    def public_extras(self) -> list[str]:
        """Extras a user installs (``testing`` is the test harness, not a feature)."""
        return [name for name in self.extras if name != "testing"]

    def sibling_dependencies(self, *, with_extras: bool = False) -> set[str]:
        """Names of the tausestack packages this one depends on."""
        requirements = list(self.dependencies)
        if with_extras:
            for items in self.extras.values():
                requirements.extend(items)
        names = {_requirement_name(item) for item in requirements}
        return {name for name in names if name.startswith("tausestack")}


def _requirement_name(requirement: str) -> str:
    match = _REQUIREMENT_NAME.match(requirement)
    return match.group(1).lower().replace("_", "-") if match else requirement


def read_version(version_file: Path) -> str:
    """The ``__version__`` string of a ``_version.py`` file."""
    match = _VERSION.search(version_file.read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f"{version_file} has no __version__ = '...' line")
    return match.group(1)


def load_packages(root: Path = ROOT) -> dict[str, Package]:
    """Every package under ``root/packages``, by distribution name."""
    packages: dict[str, Package] = {}
    for pyproject in sorted((root / "packages").glob("*/pyproject.toml")):
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        project = data["project"]
        version_path = pyproject.parent / data["tool"]["hatch"]["version"]["path"]
        packages[project["name"]] = Package(
            name=project["name"],
            path=pyproject.parent,
            version=read_version(version_path),
            dependencies=tuple(project.get("dependencies", [])),
            extras={k: tuple(v) for k, v in project.get("optional-dependencies", {}).items()},
            tool=data.get("tool", {}).get("tausestack", {}),
        )
    return packages


def compatible_range(version: str) -> str:
    """The range siblings pin: same minor below 1.0 (``>=0.2,<0.3``), same major from 1.0."""
    parts = [int(re.match(r"\d+", piece).group()) for piece in version.split(".")[:2]]  # type: ignore[union-attr]
    major, minor = parts[0], parts[1] if len(parts) > 1 else 0
    if major == 0:
        return f">={major}.{minor},<{major}.{minor + 1}"
    return f">={major}.{minor},<{major + 1}"
