"""``tausestack doctor``: every module's configuration and the connectivity of its backend.

Each check prints a row; each failure gets a next step. Health checks are real round trips
(``health()`` of each module: PING, SELECT 1, HEAD bucket...), each bounded by a timeout.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tausestack.cli._console import console
from tausestack.cli._discovery import discover_app, load_app, project_context
from tausestack.cli._errors import describe_error
from tausestack.cli._modules import ModuleReport, check_module, describe_modules

__all__ = ["Check", "run_doctor", "collect_checks"]

HEALTH_TIMEOUT = 20.0


@dataclass
class Check:
    """One line of the doctor's report."""

    name: str
    status: str  # "ok", "fail", "skip"
    detail: str
    next_step: str = ""


def run_doctor(app_dir: Path) -> bool:
    """Print the report for the project in ``app_dir``; True when nothing failed."""
    from rich.table import Table

    checks = collect_checks(app_dir)
    table = Table("Check", "Status", "Detail", title="tausestack doctor")
    marks = {"ok": "[green]ok[/green]", "fail": "[red]FAIL[/red]", "skip": "[dim]-[/dim]"}
    from rich.markup import escape

    for check in checks:
        table.add_row(check.name, marks[check.status], escape(check.detail))
    out = console()
    out.print(table)
    failed = [check for check in checks if check.status == "fail"]
    for check in failed:
        out.print(f"[red]✗ {escape(check.name)}[/red]: {escape(check.detail)}")
        out.print(f"  Next step: {escape(check.next_step)}")
    if failed:
        out.print(f"[red]{len(failed)} check(s) failed.[/red]")
    else:
        out.print("[green]✓ Everything is configured and reachable.[/green]")
    return not failed


def collect_checks(app_dir: Path) -> list[Check]:
    """Run every check (inside the project directory, so its ``.env`` applies)."""
    project_dir = app_dir.resolve()
    version = ".".join(str(part) for part in sys.version_info[:3])
    checks = [
        Check("python", "ok" if sys.version_info >= (3, 10) else "fail", version, "use Python 3.10 or newer")
    ]
    with project_context(project_dir):
        checks.append(_app_check(project_dir))
        with console().status("Checking backends..."):
            for report in describe_modules():
                checks.append(_module_check(report))
    return checks


def _app_check(project_dir: Path) -> Check:
    try:
        target = discover_app(project_dir)
    except Exception as exc:
        message, hint = describe_error(exc)
        return Check("app", "skip", message, hint)
    try:
        load_app(target)
    except Exception as exc:
        message, hint = describe_error(exc)
        return Check("app", "fail", f"{target.import_string}: {message}", hint)
    return Check("app", "ok", f"{target.import_string} ({target.found_by})")


def _module_check(report: ModuleReport) -> Check:
    if not report.installed:
        return Check(report.name, "skip", f"not installed (pip install {report.distribution})")
    if report.error is not None:
        message, _ = describe_error(report.error)
        return Check(report.name, "fail", message, f"fix {report.variable} (see the message)")
    error = _with_timeout(lambda: check_module(report), HEALTH_TIMEOUT)
    if error is None:
        return Check(report.name, "ok", str(report.backend))
    message, hint = describe_error(error)
    if isinstance(error, TimeoutError):
        hint = f"is the service behind {report.backend} up and reachable? (or change {report.variable})"
    elif isinstance(error, ConnectionError) and str(report.backend).startswith("file://"):
        hint = f"make the directory of {report.backend} writable, or point {report.variable} elsewhere"
    elif isinstance(error, ConnectionError):
        hint = f"start the service behind {report.backend}, or point {report.variable} at a running one"
    else:
        hint = f"{hint} ({report.variable} = {report.backend})"
    return Check(report.name, "fail", f"{report.backend}: {message}", hint)


def _with_timeout(func: Callable[[], None], timeout: float) -> BaseException | None:
    """Run ``func()`` in a daemon thread; its exception, a TimeoutError, or None."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            func()
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, name="tausestack-doctor", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        return TimeoutError(f"no answer within {timeout:.0f} s")
    return outcome[0]
