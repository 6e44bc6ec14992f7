"""``tausestack run``: discover the app, say how it was found and what it uses, serve it with uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

from tausestack.cli._console import console
from tausestack.cli._discovery import AppTarget, discover_app
from tausestack.cli._errors import CLIError
from tausestack.cli._modules import describe_modules
from tausestack.cli._pyproject import tool_settings

__all__ = ["serve", "print_app_summary"]


def serve(
    app_dir: Path,
    *,
    app: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    reload: bool | None = None,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Serve the project in ``app_dir`` until interrupted.

    ``reload`` defaults to on for a single worker; reload and several workers exclude each other.
    Raises :class:`CLIError` when no app is found or the options conflict.
    """
    if reload is None:
        reload = workers == 1
    if reload and workers > 1:
        raise CLIError(
            "--reload and --workers > 1 cannot be combined", hint="drop --reload or use one worker"
        )
    target = discover_app(app_dir, app)
    os.chdir(target.project_dir)  # the project's .env and relative paths resolve as in production
    print_app_summary(target)
    url = f"http://{_display_host(host)}:{port}"
    console().print(
        f"Serving on [bold]{url}[/bold]  (API docs: {url}/docs, health: {url}/healthz)"
        f"  workers={workers} reload={'on' if reload else 'off'}"
    )
    _print_welcome(target, url)

    import uvicorn

    uvicorn.run(
        target.import_string,
        factory=target.factory,
        host=host,
        port=port,
        reload=reload,
        reload_dirs=[str(target.project_dir)] if reload else None,
        workers=workers,
        log_level=log_level,
        app_dir=str(target.project_dir),
    )


def print_app_summary(target: AppTarget) -> None:
    """Print how the app was found and the backend of every installed SDK module."""
    from rich.markup import escape

    out = console()
    factory = " (factory)" if target.factory else ""
    out.print(
        f"App [bold]{escape(target.import_string)}[/bold]{factory} in {escape(str(target.project_dir))}"
        f"  [dim]({escape(target.found_by)})[/dim]"
    )
    for report in describe_modules():
        if not report.installed:
            continue
        if report.error is not None:
            out.print(f"  {report.name:<9} [red]misconfigured[/red]: {escape(str(report.error))}")
        else:
            out.print(f"  {report.name:<9} {escape(str(report.backend))}")


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - displayed, not bound


def _print_welcome(target: AppTarget, url: str) -> None:
    """Print the project's ``[tool.tausestack] welcome`` file, with ``{url}`` filled in."""
    welcome = tool_settings(target.project_dir).get("welcome")
    if not isinstance(welcome, str):
        return
    path = target.project_dir / welcome
    if path.is_file():
        from rich.markup import escape

        console().print(escape(path.read_text(encoding="utf-8").replace("{url}", url).rstrip()))
