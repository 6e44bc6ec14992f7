"""``tausestack storage ...`` and ``tausestack secrets ...``: inspect and edit the configured backends."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register", "Kind"]

storage_app = typer.Typer(
    name="storage", help="List, read, write and delete stored objects.", no_args_is_help=True
)
secrets_app = typer.Typer(name="secrets", help="List, read, set and delete secrets.", no_args_is_help=True)

AppDir = Annotated[
    Path, typer.Option("--app-dir", "-d", help="The project directory (its .env is read).", file_okay=False)
]


class Kind(str, Enum):
    """A storage kind, as in ``storage.<kind>.get``."""

    binary = "binary"
    text = "text"
    json = "json"
    dataframe = "dataframe"


KindOption = Annotated[Kind, typer.Option("--kind", "-k", help="Storage kind.")]


@storage_app.command("ls")
def storage_ls(
    prefix: Annotated[str, typer.Argument(help="Only keys starting with this.")] = "",
    kind: Annotated[
        Kind | None, typer.Option("--kind", "-k", help="Only this kind (default: every kind).")
    ] = None,
    app_dir: AppDir = Path("."),
) -> None:
    """List stored objects: key, size, modified, content type."""
    from tausestack.cli._data import storage_list

    storage_list(app_dir, kind=kind.value if kind else None, prefix=prefix)


@storage_app.command("get")
def storage_get(
    key: Annotated[str, typer.Argument(help="The object's key.")],
    kind: KindOption = Kind.binary,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout.", dir_okay=False),
    ] = None,
    app_dir: AppDir = Path("."),
) -> None:
    """Print an object (or write it to --output)."""
    from tausestack.cli._data import storage_get as _get

    _get(app_dir, key, kind=kind.value, output=output)


@storage_app.command("put")
def storage_put(
    key: Annotated[str, typer.Argument(help="The object's key.")],
    source: Annotated[str, typer.Argument(help="A file to upload, or '-' for stdin.")] = "-",
    kind: KindOption = Kind.binary,
    app_dir: AppDir = Path("."),
) -> None:
    """Store a file (or stdin) under KEY."""
    from tausestack.cli._data import storage_put as _put

    _put(app_dir, key, source, kind=kind.value)


@storage_app.command("rm")
def storage_rm(
    key: Annotated[str, typer.Argument(help="The object's key.")],
    kind: KindOption = Kind.binary,
    app_dir: AppDir = Path("."),
) -> None:
    """Delete an object (exit code 1 when it did not exist)."""
    from tausestack.cli._data import storage_delete

    storage_delete(app_dir, key, kind=kind.value)


@secrets_app.command("list")
def secrets_list(app_dir: AppDir = Path(".")) -> None:
    """List secret names (never values)."""
    from tausestack.cli._data import secrets_names

    secrets_names(app_dir)


@secrets_app.command("get")
def secrets_get(
    name: Annotated[str, typer.Argument(help="The secret's name.")],
    reveal: Annotated[bool, typer.Option("--reveal", help="Print the value itself.")] = False,
    app_dir: AppDir = Path("."),
) -> None:
    """Say whether a secret is set; print its value only with --reveal."""
    from tausestack.cli._data import secrets_get as _get

    _get(app_dir, name, reveal=reveal)


@secrets_app.command("set")
def secrets_set(
    name: Annotated[str, typer.Argument(help="The secret's name.")],
    value: Annotated[
        str | None, typer.Argument(help="The value ('-' reads stdin; omitted: asked for, hidden).")
    ] = None,
    app_dir: AppDir = Path("."),
) -> None:
    """Set a secret on the configured backend."""
    from tausestack.cli._data import secrets_set as _set

    _set(app_dir, name, value)


@secrets_app.command("rm")
def secrets_rm(
    name: Annotated[str, typer.Argument(help="The secret's name.")], app_dir: AppDir = Path(".")
) -> None:
    """Delete a secret (exit code 1 when it did not exist)."""
    from tausestack.cli._data import secrets_delete

    secrets_delete(app_dir, name)


def register(app: typer.Typer) -> None:
    """Add the ``storage`` and ``secrets`` groups to the root app."""
    app.add_typer(storage_app, rich_help_panel="Data")
    app.add_typer(secrets_app, rich_help_panel="Data")
