"""Outside a transaction, one-statement CRUD on PostgreSQL runs without BEGIN/COMMIT; the rest keeps one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from tausestack.database import Database, IntegrityConflictError

from .conftest import Models, declare_models

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres_url: str) -> Iterator[tuple[Database, Models, list[bool]]]:
    """A PostgreSQL database, its models, and the DBAPI autocommit flag seen by each statement."""
    db = Database(postgres_url)
    models = declare_models()
    models.base.metadata.create_all(db.engine)
    seen: list[bool] = []

    def record(conn: Any, *_args: Any) -> None:
        seen.append(bool(conn.connection.dbapi_connection.autocommit))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield db, models, seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
        models.base.metadata.drop_all(db.engine)
        db.close()


def test_single_statements_autocommit(pg: tuple[Database, Models, list[bool]]) -> None:
    db, models, seen = pg
    user = db.create(models.User, {"name": "ada"})
    db.get(models.User, user.id)
    db.update(models.User, user.id, {"age": 3})
    db.find(models.User, where={"age__gt": 1})
    db.count(models.User)
    db.upsert(models.User, {"id": user.id, "name": "ada l."})
    db.delete(models.User, user.id)
    assert seen == [True] * 7


def test_several_statements_and_transactions_keep_begin_commit(
    pg: tuple[Database, Models, list[bool]],
) -> None:
    db, models, seen = pg
    db.create_many(models.User, [{"name": "a"}, {"name": "b", "age": 2}])
    db.fetch_all("SELECT 1 AS one")
    with db.transaction():
        db.create(models.User, {"name": "c"})
        db.find(models.User)
    assert seen
    assert not any(seen)


def test_create_many_stays_atomic(pg: tuple[Database, Models, list[bool]]) -> None:
    db, models, _ = pg
    rows = [{"name": "a", "email": "same@x.io"}, {"name": "b", "email": "other@x.io"}]
    rows.append({"name": "c", "email": "same@x.io"})
    with pytest.raises(IntegrityConflictError):
        db.create_many(models.User, rows)
    assert db.count(models.User) == 0


def test_a_failed_single_statement_writes_nothing(pg: tuple[Database, Models, list[bool]]) -> None:
    db, models, _ = pg
    db.create(models.User, {"name": "a", "email": "same@x.io"})
    with pytest.raises(IntegrityConflictError):
        db.create(models.User, {"name": "b", "email": "same@x.io"})
    assert [u.name for u in db.find(models.User)] == ["a"]


@pytest.mark.anyio
async def test_async_single_statements_autocommit(postgres_url: str) -> None:
    db = Database(postgres_url)
    models = declare_models()
    async with db.async_engine.begin() as conn:
        await conn.run_sync(models.base.metadata.create_all)
    seen: list[bool] = []

    def record(conn: Any, *_args: Any) -> None:
        seen.append(bool(conn.connection.dbapi_connection.autocommit))

    event.listen(db.async_engine.sync_engine, "before_cursor_execute", record)
    try:
        user = await db.acreate(models.User, {"name": "ada"})
        assert (await db.aget(models.User, user.id)).name == "ada"
        await db.acreate_many(models.User, [{"name": "b"}])
        assert seen == [True, True, False]
    finally:
        event.remove(db.async_engine.sync_engine, "before_cursor_execute", record)
        async with db.async_engine.begin() as conn:
            await conn.run_sync(models.base.metadata.drop_all)
        await db.aclose()
