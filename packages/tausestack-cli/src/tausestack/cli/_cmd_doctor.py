"""``tausestack doctor``: signature only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def doctor(
    app_dir: Annotated[
        Path, typer.Option("--app-dir", "-d", help="The project directory.", file_okay=False)
    ] = Path("."),
) -> None:
    """Check every module's configuration and the connectivity of every configured backend.

    Prints a next step for each failure; exits with 1 when anything failed.
    """
    from tausestack.cli._doctor import run_doctor

    ok = run_doctor(app_dir)
    if not ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``doctor`` to the root app."""
    app.command(rich_help_panel="Inspect")(doctor)
