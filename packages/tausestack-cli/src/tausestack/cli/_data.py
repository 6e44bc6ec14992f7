"""``tausestack storage ...`` and ``tausestack secrets ...`` on the configured module defaults.

Each command runs inside the project directory (so its ``.env`` and relative paths apply) and
uses the same lazy default as the app: ``TAUSESTACK_STORAGE_URL``, ``TAUSESTACK_SECRETS_URL``.
"""

from __future__ import annotations

import io
import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

from tausestack.cli._console import console
from tausestack.cli._discovery import project_context
from tausestack.cli._errors import CLIError

__all__ = [
    "storage_list",
    "storage_get",
    "storage_put",
    "storage_delete",
    "secrets_names",
    "secrets_get",
    "secrets_set",
    "secrets_delete",
]

KINDS = ("binary", "text", "json", "dataframe")


def _storage() -> Any:
    from tausestack import storage

    return storage


def _secrets() -> Any:
    from tausestack import secrets

    return secrets


def storage_list(app_dir: Path, *, kind: str | None, prefix: str) -> None:
    """Print a table of the objects of ``kind`` (every kind when None) under ``prefix``."""
    from rich.table import Table

    with project_context(app_dir.resolve()):
        storage = _storage()
        table = Table("Kind", "Key", "Size", "Modified", "Content type", title=str(storage.describe()))
        count = 0
        for name in (kind,) if kind else KINDS:
            for entry in getattr(storage, name).list(prefix):
                modified = entry.modified.isoformat(timespec="seconds") if entry.modified else ""
                table.add_row(name, entry.name, _size(entry.size), modified, entry.content_type or "")
                count += 1
    if count:
        console().print(table)
    else:
        console().print(f"No objects{f' under {prefix!r}' if prefix else ''}.", markup=False)


def storage_get(app_dir: Path, key: str, *, kind: str, output: Path | None) -> None:
    """Write the object to ``output``, or to stdout (bytes as they are, JSON indented, dataframes as CSV)."""
    with project_context(app_dir.resolve()):
        value = getattr(_storage(), kind).get(key)
    if kind == "binary":
        data = bytes(value)
    elif kind == "text":
        data = str(value).encode("utf-8")
    elif kind == "json":
        data = (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    elif output is not None and output.suffix == ".parquet":
        buffer = io.BytesIO()
        value.to_parquet(buffer)
        data = buffer.getvalue()
    else:
        data = value.to_csv(index=False).encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        console().print(f"[green]✓[/green] Wrote {key} ({_size(len(data))}) to {output}")


def storage_put(app_dir: Path, key: str, source: str, *, kind: str) -> None:
    """Store the file ``source`` (``-``: stdin) under ``key`` as ``kind``."""
    if source == "-":
        data = sys.stdin.buffer.read()
        source_path = None
    else:
        source_path = Path(source)
        if not source_path.is_file():
            raise CLIError(f"{source} is not a file", hint="pass an existing file, or '-' to read stdin")
        data = source_path.read_bytes()
    with project_context(app_dir.resolve()):
        storage = _storage()
        if kind == "binary":
            guessed = mimetypes.guess_type(source_path.name if source_path else key)[0]
            storage.binary.put(key, data, content_type=guessed)
        elif kind == "text":
            storage.text.put(key, _decode(data, source))
        elif kind == "json":
            try:
                value = json.loads(_decode(data, source))
            except json.JSONDecodeError as exc:
                raise CLIError(
                    f"{source} is not valid JSON: {exc}", hint="check the file, or use --kind text"
                ) from exc
            storage.json.put(key, value)
        else:
            storage.dataframe.put(key, _read_frame(data, source_path))
        where = storage.describe()
    console().print(f"[green]✓[/green] Stored {key} ({_size(len(data))}, {kind}) on {where}", markup=True)


def storage_delete(app_dir: Path, key: str, *, kind: str) -> None:
    """Delete the object; :class:`CLIError` when it did not exist."""
    with project_context(app_dir.resolve()):
        existed = getattr(_storage(), kind).delete(key)
    if not existed:
        raise CLIError(
            f"no {kind} object under key {key!r}",
            hint=f"list them with `tausestack storage ls --kind {kind}`",
        )
    console().print(f"[green]✓[/green] Deleted {key} ({kind})")


def secrets_names(app_dir: Path) -> None:
    """Print every secret name, one per line (never a value)."""
    with project_context(app_dir.resolve()):
        names = _secrets().get_names()
    for name in names:
        console().print(name, markup=False)
    if not names:
        console().print("No secrets.", style="dim")


def secrets_get(app_dir: Path, name: str, *, reveal: bool) -> None:
    """Say the secret is set; print the value only with ``reveal``."""
    with project_context(app_dir.resolve()):
        value = _secrets().get(name)
    if reveal:
        sys.stdout.write(value + "\n")
        sys.stdout.flush()
    else:
        console().print(
            f"{name} is set ({len(value)} characters). Pass --reveal to print the value.", markup=False
        )


def secrets_set(app_dir: Path, name: str, value: str | None) -> None:
    """Set ``name``; ``value`` None asks for it (hidden), ``-`` reads stdin."""
    if value is None:
        import typer

        value = str(typer.prompt(f"Value of {name}", hide_input=True, confirmation_prompt=True))
    elif value == "-":
        value = sys.stdin.read().rstrip("\r\n")
    if not value:
        raise CLIError("refusing to set an empty secret", hint="pass a value, or delete it with `secrets rm`")
    with project_context(app_dir.resolve()):
        secrets = _secrets()
        secrets.put(name, value)
        where = secrets.describe()
    console().print(f"[green]✓[/green] Set {name} on {where}")


def secrets_delete(app_dir: Path, name: str) -> None:
    """Delete ``name``; :class:`CLIError` when it did not exist."""
    with project_context(app_dir.resolve()):
        existed = _secrets().delete(name)
    if not existed:
        raise CLIError(f"no secret named {name!r}", hint="list them with `tausestack secrets list`")
    console().print(f"[green]✓[/green] Deleted secret {name}")


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CLIError(f"{source} is not UTF-8 text", hint="store it with --kind binary") from exc


def _read_frame(data: bytes, source: Path | None) -> Any:
    import pandas as pd

    if source is not None and source.suffix == ".parquet":
        return pd.read_parquet(io.BytesIO(data))
    return pd.read_csv(io.BytesIO(data))


def _size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
