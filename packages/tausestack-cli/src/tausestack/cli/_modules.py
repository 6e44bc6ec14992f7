"""The SDK modules the CLI reports on: which are installed, their backend, their health."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType

__all__ = ["MODULES", "ModuleReport", "describe_modules", "import_module", "check_module"]

# (module, distribution, the setting that chooses its backend)
MODULES: tuple[tuple[str, str, str], ...] = (
    ("storage", "tausestack-storage", "TAUSESTACK_STORAGE_URL"),
    ("secrets", "tausestack-secrets", "TAUSESTACK_SECRETS_URL"),
    ("cache", "tausestack-cache", "TAUSESTACK_CACHE_URL"),
    ("notify", "tausestack-notify", "TAUSESTACK_NOTIFY_URL"),
    ("auth", "tausestack-auth", "TAUSESTACK_AUTH_URL"),
    ("database", "tausestack-database", "TAUSESTACK_DATABASE_URL"),
)


@dataclass
class ModuleReport:
    """What the CLI knows about one SDK module."""

    name: str
    distribution: str
    variable: str
    installed: bool
    backend: str | None = None
    error: BaseException | None = None


def import_module(name: str) -> ModuleType | None:
    """``tausestack.<name>``, or None when its distribution is not installed."""
    full = f"tausestack.{name}"
    if importlib.util.find_spec(full) is None:
        return None
    return importlib.import_module(full)


def describe_modules() -> list[ModuleReport]:
    """Every SDK module with its configured backend (``describe()``); opens no connection."""
    reports = []
    for name, distribution, variable in MODULES:
        report = ModuleReport(name, distribution, variable, installed=False)
        try:
            module = import_module(name)
            if module is not None:
                report.installed = True
                describe = getattr(module, "describe", None)
                report.backend = str(describe()) if callable(describe) else "(describe() not available)"
        except Exception as exc:
            report.error = exc
        reports.append(report)
    return reports


def check_module(report: ModuleReport) -> None:
    """Run the module's ``health()`` (a real round trip to its backend); raises when unhealthy."""
    module = import_module(report.name)
    if module is None:
        return
    health = getattr(module, "health", None)
    if callable(health):
        health()
