"""Migrations through Alembic on SQLite and PostgreSQL, including adding a column to a table with data."""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, inspect, text

import tausestack.database as database_module
from tausestack.core import ConfigurationError
from tausestack.database import Database, migrations

MODELS_V1 = """
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "{table}"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(200))
"""

MODELS_V2 = (
    MODELS_V1
    + """    priority: Mapped[int] = mapped_column(server_default="3")
    tag: Mapped[str | None] = mapped_column(String(20))
"""
)


@pytest.fixture
def project(database_url: str) -> Iterator[tuple[Database, str, str]]:
    """A Database, a unique models module name in the working directory, and its table name."""
    suffix = uuid.uuid4().hex[:8]
    module, table = f"notes_models_{suffix}", f"notes_{suffix}"
    db = Database(database_url)
    try:
        yield db, module, table
    finally:
        sys.modules.pop(module, None)
        with db.engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.close()


def _write(module: str, source: str) -> None:
    Path(f"{module}.py").write_text(source, encoding="utf-8")
    sys.modules.pop(module, None)
    importlib.invalidate_caches()


def test_autogenerate_upgrade_add_column_with_data_and_downgrade(project: tuple[Database, str, str]) -> None:
    db, module, table = project
    _write(module, MODELS_V1.format(table=table))

    first = migrations.revision("create notes", database=db, models=module)
    assert Path("migrations/env.py").is_file()
    assert module in Path("migrations/env.py").read_text()
    assert migrations.current(database=db) is None
    migrations.upgrade(database=db)
    assert migrations.current(database=db) == first
    db.execute(f"INSERT INTO {table} (body) VALUES (:b)", [{"b": "one"}, {"b": "two"}])  # noqa: S608

    _write(module, MODELS_V2.format(table=table))
    second = migrations.revision("add priority and tag", database=db)  # models now read from env.py
    script = next(Path("migrations/versions").glob(f"{second}_*.py")).read_text()
    assert "add_column" in script
    assert "priority" in script
    migrations.upgrade(database=db)
    assert migrations.current(database=db) == second
    rows = db.fetch_all(f"SELECT body, priority, tag FROM {table} ORDER BY id")  # noqa: S608
    assert rows == [{"body": "one", "priority": 3, "tag": None}, {"body": "two", "priority": 3, "tag": None}]

    history = migrations.history()
    assert [(item.revision, item.is_head) for item in history] == [(second, True), (first, False)]
    assert history[0].down_revision == first
    assert history[0].message == "add priority and tag"

    migrations.downgrade(database=db)
    assert migrations.current(database=db) == first
    columns = {column["name"] for column in inspect(db.engine).get_columns(table)}
    assert columns == {"id", "body"}
    assert db.fetch_all(f"SELECT body FROM {table} ORDER BY id") == [{"body": "one"}, {"body": "two"}]  # noqa: S608
    migrations.downgrade("base", database=db)
    assert migrations.current(database=db) is None
    assert not inspect(db.engine).has_table(table)


def test_models_from_the_environment_and_no_models_refused(
    project: tuple[Database, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, module, table = project
    # Other tests may have declared models on the shared tausestack.database.Base; this one needs
    # a process with none, as a new project has.
    monkeypatch.setattr(database_module.Base, "metadata", MetaData())
    with pytest.raises(ConfigurationError, match="no models"):
        migrations.revision("nothing", database=db)
    assert list(Path("migrations/versions").glob("*.py")) == []
    _write(module, MODELS_V1.format(table=table))
    monkeypatch.setenv("TAUSESTACK_DATABASE_MODELS", f"{module}:Base")
    rev = migrations.revision("from env", database=db)
    script = next(Path("migrations/versions").glob(f"{rev}_*.py")).read_text()
    assert "create_table" in script
    assert table in script


def test_missing_module_and_directory_are_clear_errors(project: tuple[Database, str, str]) -> None:
    db, _, _ = project
    with pytest.raises(ConfigurationError, match="no migrations directory"):
        migrations.upgrade(database=db)
    with pytest.raises(ConfigurationError, match="no migrations directory"):
        migrations.history()
    with pytest.raises(ConfigurationError, match="cannot import the models module"):
        migrations.revision("x", database=db, models="no_such_models_module")


def test_unknown_revision_is_a_migration_error(project: tuple[Database, str, str]) -> None:
    db, module, table = project
    _write(module, MODELS_V1.format(table=table))
    migrations.revision("create", database=db, models=module)
    with pytest.raises(migrations.MigrationError):
        migrations.upgrade("deadbeef", database=db)


def test_empty_revision_and_default_database(project: tuple[Database, str, str]) -> None:
    from tausestack import database

    db, _, _ = project
    database.configure(db)
    try:
        rev = migrations.revision("manual step", autogenerate=False)
        migrations.upgrade()
        assert migrations.current() == rev
    finally:
        database.reset()  # closes db; the fixture's clean-up reopens it
