"""Reading a project's ``pyproject.toml`` (``[tool.tausestack]``) without third-party TOML libraries."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from tausestack.cli._errors import CLIError

# tomllib from Python 3.11; the same API from tomli on 3.10.
tomllib: Any = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")

__all__ = ["read_pyproject", "tool_settings"]


def read_pyproject(project_dir: Path) -> dict[str, Any]:
    """The parsed ``pyproject.toml`` of ``project_dir`` (``{}`` when there is none).

    Raises :class:`CLIError` when the file exists but is not valid TOML.
    """
    path = project_dir / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(f"{path} is not valid TOML: {exc}", hint=f"fix the syntax in {path}") from exc


def tool_settings(project_dir: Path) -> dict[str, Any]:
    """The ``[tool.tausestack]`` table of ``project_dir``'s ``pyproject.toml`` (``{}`` when absent)."""
    table = read_pyproject(project_dir).get("tool", {}).get("tausestack", {})
    return table if isinstance(table, dict) else {}
