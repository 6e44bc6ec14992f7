"""``tausestack init``, ``run`` and ``routes``: signatures only, implementations imported on use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]

AppDirOption = Annotated[
    Path,
    typer.Option("--app-dir", "-d", help="The project directory.", file_okay=False),
]
AppOption = Annotated[
    str | None,
    typer.Option("--app", help="The app as 'module:attribute' (default: discovered, see `run --help`)."),
]


def init(
    name: Annotated[str, typer.Argument(help="Project name, or a path whose last part is the name.")],
    template: Annotated[
        str, typer.Option("--template", "-t", help="Project template: 'api' (default) or 'minimal'.")
    ] = "api",
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty directory.")] = False,
) -> None:
    """Create a runnable project: main.py, app/apis/, config, tests, Dockerfile, pyproject.toml."""
    from tausestack.cli._scaffold import create_project, print_next_steps

    result = create_project(Path(name), template=template, force=force)
    print_next_steps(result)


def run(
    app_dir: AppDirOption = Path("."),
    app: AppOption = None,
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.", min=0, max=65535)] = 8000,
    reload: Annotated[
        bool | None,
        typer.Option(
            "--reload/--no-reload", help="Restart on code changes (default: on, unless --workers > 1)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", help="Worker processes.", min=1)] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Serve the project with uvicorn.

    The app is found, in order: --app; [tool.tausestack] app = "module:attr" in pyproject.toml;
    main.py defining `app` or a factory `create_app()`; app/main.py likewise; app/apis/ alone
    (served by tausestack.web.create_app).
    """
    from tausestack.cli._server import serve

    serve(app_dir, app=app, host=host, port=port, reload=reload, workers=workers, log_level=log_level)


def routes(
    app_dir: AppDirOption = Path("."),
    app: AppOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the app's routes: path, methods, auth (public / required / roles) and tags."""
    from tausestack.cli._routes import show_routes

    show_routes(app_dir, app=app, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add these commands to the root app."""
    app.command(rich_help_panel="Project")(init)
    app.command(rich_help_panel="Project")(run)
    app.command(rich_help_panel="Project")(routes)
