"""``tausestack db ...``: one-to-one wrappers of ``tausestack.database.migrations``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tausestack.cli._console import console
from tausestack.cli._discovery import project_context
from tausestack.cli._errors import CLIError

__all__ = ["db_revision", "db_upgrade", "db_downgrade", "db_current", "db_history"]


@contextmanager
def _migrations(app_dir: Path, url: str | None) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The migrations module and the ``database=`` keyword, inside the project directory."""
    try:
        from tausestack.database import migrations
    except ImportError as exc:
        raise CLIError(
            f"tausestack-database is not installed ({exc})",
            hint="pip install 'tausestack-cli[db]' (or tausestack-database)",
        ) from exc
    with project_context(app_dir.resolve()):
        database = None
        if url:
            from tausestack.database import Database

            database = Database(url)
        try:
            yield migrations, {"database": database} if database is not None else {}
        finally:
            if database is not None:
                database.close()


def db_revision(
    app_dir: Path, *, message: str, autogenerate: bool, models: str | None, directory: str, url: str | None
) -> None:
    """Create a migration file and print its revision id."""
    if models:
        extra_models: dict[str, Any] = {"models": models}
    else:
        extra_models = {}
    with _migrations(app_dir, url) as (migrations, extra), console().status("Creating the migration..."):
        revision = migrations.revision(
            message, autogenerate=autogenerate, directory=directory, **extra, **extra_models
        )
    console().print(f"[green]✓[/green] Created revision {revision} ({message}) in {directory}/", markup=True)


def db_upgrade(app_dir: Path, *, revision: str, directory: str, url: str | None) -> None:
    """Apply migrations up to ``revision`` and print the resulting revision."""
    with _migrations(app_dir, url) as (migrations, extra):
        with console().status(f"Upgrading to {revision}..."):
            migrations.upgrade(revision, directory=directory, **extra)
        now = migrations.current(directory=directory, **extra)
    console().print(f"[green]✓[/green] Database at revision {now or '(base)'}")


def db_downgrade(app_dir: Path, *, revision: str, directory: str, url: str | None) -> None:
    """Revert migrations down to ``revision`` and print the resulting revision."""
    with _migrations(app_dir, url) as (migrations, extra):
        with console().status(f"Downgrading to {revision}..."):
            migrations.downgrade(revision, directory=directory, **extra)
        now = migrations.current(directory=directory, **extra)
    console().print(f"[green]✓[/green] Database at revision {now or '(base)'}")


def db_current(app_dir: Path, *, directory: str, url: str | None) -> None:
    """Print the current revision (``(base)`` when no migration was applied)."""
    with _migrations(app_dir, url) as (migrations, extra):
        now = migrations.current(directory=directory, **extra)
    console().print(now or "(base)", markup=False)


def db_history(app_dir: Path, *, directory: str, url: str | None) -> None:
    """Print every migration, newest first."""
    with _migrations(app_dir, url) as (migrations, _):
        entries = list(migrations.history(directory=directory))
    if not entries:
        console().print(
            "No migrations yet. Create one with `tausestack db revision -m MESSAGE`.", markup=False
        )
        return
    for entry in entries:
        console().print(_history_line(entry), markup=False)


def _history_line(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    revision = getattr(entry, "revision", None)
    if revision is None:
        return str(entry)
    down = getattr(entry, "down_revision", None)
    if isinstance(down, tuple):
        down = ",".join(down)
    message = getattr(entry, "message", None) or getattr(entry, "doc", "") or ""
    head = " (head)" if getattr(entry, "is_head", False) else ""
    return f"{down or '<base>'} -> {revision}{head}, {message}"
