"""Alembic, driven from Python: ``revision``, ``upgrade``, ``downgrade``, ``current``, ``history``.

Each function takes ``directory`` (default ``migrations``, relative to the working directory)
and ``database`` (a :class:`~tausestack.database.Database`, a URL, or None for the configured
default). The migrations directory is created on the first ``revision`` with an ``env.py`` that
imports your models for you (see :mod:`._discovery`). ``tausestack db ...`` calls these one to one.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tausestack.core import ConfigurationError, TauseStackError
from tausestack.database._database import Database
from tausestack.database.migrations._discovery import discover_metadata, model_modules
from tausestack.database.migrations._templates import ENV_PY, README, SCRIPT_MAKO

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "MigrationError",
    "Revision",
    "init",
    "revision",
    "upgrade",
    "downgrade",
    "current",
    "history",
    "run_migrations",
]

DatabaseArg = Database | str | None
_DATABASE = "tausestack_database"
_MODELS = "tausestack_models"
_AUTOGENERATE = "tausestack_autogenerate"


class MigrationError(TauseStackError):
    """Alembic refused the command (unknown revision, multiple heads, failing migration...)."""


@dataclass(frozen=True)
class Revision:
    """One migration script, as :func:`history` lists them."""

    revision: str
    down_revision: str | tuple[str, ...] | None
    message: str | None
    is_head: bool
    path: str


def init(directory: str | Path = "migrations", *, models: str | Sequence[str] | None = None) -> Path:
    """Create the migrations directory (``env.py``, ``script.py.mako``, ``versions/``) if missing.

    ``models`` is written into ``env.py`` as the modules to import. Returns the directory.

    >>> init("migrations", models="app.models")          # doctest: +SKIP
    PosixPath('migrations')
    """
    path = Path(directory)
    if (path / "env.py").is_file():
        return path
    (path / "versions").mkdir(parents=True, exist_ok=True)
    listed = model_modules(models, None) if models is not None else []
    (path / "env.py").write_text(ENV_PY.format(models=listed), encoding="utf-8")
    (path / "script.py.mako").write_text(SCRIPT_MAKO, encoding="utf-8")
    (path / "README").write_text(README, encoding="utf-8")
    return path


def revision(
    message: str,
    *,
    autogenerate: bool = True,
    database: DatabaseArg = None,
    directory: str | Path = "migrations",
    models: str | Sequence[str] | None = None,
) -> str:
    """Write a new migration script and return its revision id.

    With ``autogenerate`` (the default) the script holds the differences between the models
    and the database. Creates the directory on first use. Raises :class:`ConfigurationError`
    when autogenerate finds no models (instead of a script that drops every table).

    >>> rev = revision("add users", models="app.models")   # doctest: +SKIP
    """
    from alembic import command

    init(directory, models=models)
    with _config(directory, database, models, autogenerate=autogenerate) as config:
        script = command.revision(config, message=message, autogenerate=autogenerate)
    scripts = script if isinstance(script, list) else [script]
    if not scripts or scripts[0] is None:
        raise MigrationError("alembic did not write a revision")
    return str(scripts[0].revision)


def upgrade(
    revision: str = "head", *, database: DatabaseArg = None, directory: str | Path = "migrations"
) -> None:
    """Apply migrations up to ``revision`` (default ``head``; ``+1`` for one step)."""
    from alembic import command

    with _config(directory, database, None, existing=True) as config:
        command.upgrade(config, revision)


def downgrade(
    revision: str = "-1", *, database: DatabaseArg = None, directory: str | Path = "migrations"
) -> None:
    """Revert migrations down to ``revision`` (default one step, ``-1``; ``base`` for all)."""
    from alembic import command

    with _config(directory, database, None, existing=True) as config:
        command.downgrade(config, revision)


def current(*, database: DatabaseArg = None, directory: str | Path = "migrations") -> str | None:
    """The revision the database is at (None before the first upgrade; heads comma-joined)."""
    from alembic.runtime.migration import MigrationContext

    db = _database(database)
    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(heads) if heads else None


def history(*, directory: str | Path = "migrations") -> list[Revision]:
    """Every migration script, newest first (reads files only; no database connection)."""
    from alembic.script import ScriptDirectory

    with _config(directory, None, None, existing=True, connect=False) as config:
        scripts = ScriptDirectory.from_config(config)
        heads = set(scripts.get_heads())
        return [
            Revision(
                revision=script.revision,
                down_revision=tuple(script.down_revision)
                if isinstance(script.down_revision, list)
                else script.down_revision,
                message=script.doc,
                is_head=script.revision in heads,
                path=script.path,
            )
            for script in scripts.walk_revisions()
        ]


def run_migrations(models: Sequence[str] | None = None) -> None:
    """Run the migration context: called by the generated ``env.py`` (online and offline modes)."""
    from alembic import context

    config = context.config
    db = config.attributes.get(_DATABASE) or Database()
    modules = model_modules(config.attributes.get(_MODELS), models)
    directory = Path(config.get_main_option("script_location") or ".")
    metadata = discover_metadata(modules, directory.resolve().parent)
    autogenerate = config.attributes.get(_AUTOGENERATE) or getattr(config.cmd_opts, "autogenerate", False)
    if autogenerate and not any(item.tables for item in metadata):
        raise ConfigurationError(
            "autogenerate found no models: set MODELS in the migrations env.py, "
            "TAUSESTACK_DATABASE_MODELS, or models=... to the module defining your models "
            "(refusing to write a migration that would drop every table)"
        )
    engine = db.engine
    options: dict[str, Any] = {
        "target_metadata": metadata if len(metadata) != 1 else metadata[0],
        "render_as_batch": engine.dialect.name == "sqlite",
        "compare_type": True,
    }
    if context.is_offline_mode():
        context.configure(url=engine.url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()


def _database(database: DatabaseArg) -> Database:
    if isinstance(database, Database):
        return database
    if database is None:
        from tausestack import database as module

        return module.get_database()
    return Database(database)


@contextmanager
def _config(
    directory: str | Path,
    database: DatabaseArg,
    models: str | Sequence[str] | None,
    *,
    existing: bool = False,
    autogenerate: bool = False,
    connect: bool = True,
) -> Iterator[Config]:
    from alembic.config import Config
    from alembic.util import CommandError

    path = Path(directory)
    if existing and not (path / "env.py").is_file():
        raise ConfigurationError(
            f"no migrations directory at {os.fspath(path)!r}; create one with revision(...) "
            "or `tausestack db revision -m ...`"
        )
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", os.fspath(path).replace("%", "%%"))
    config.attributes[_MODELS] = models
    config.attributes[_AUTOGENERATE] = autogenerate
    if connect:
        config.attributes[_DATABASE] = _database(database)
    try:
        yield config
    except CommandError as exc:
        raise MigrationError(str(exc)) from exc
