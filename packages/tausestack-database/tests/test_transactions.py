"""Transactions: commit, rollback, savepoints, and isolation between threads and asyncio tasks."""

from __future__ import annotations

import threading
from contextlib import suppress
from typing import Any

import anyio
import pytest
from sqlalchemy import select

from tausestack.database import Database

Models = Any


class Boom(Exception):
    """Raised inside a transaction block to make it roll back."""


def test_commit_and_rollback(db: Database, models: Models) -> None:
    with db.transaction():
        db.create(models.User, {"name": "kept"})
    with suppress(Boom), db.transaction():
        db.create(models.User, {"name": "lost"})
        assert db.count(models.User, where={"name": "lost"}) == 1  # visible inside
        raise Boom
    assert [u.name for u in db.find(models.User)] == ["kept"]


def test_nested_transaction_is_a_savepoint(db: Database, models: Models) -> None:
    with db.transaction():
        db.create(models.User, {"name": "outer"})
        with suppress(Boom), db.transaction():
            db.create(models.User, {"name": "inner"})
            raise Boom
        with db.transaction():
            db.create(models.User, {"name": "inner-ok"})
    assert sorted(u.name for u in db.find(models.User)) == ["inner-ok", "outer"]


def test_session_joins_and_orm_changes_are_flushed_before_crud(db: Database, models: Models) -> None:
    with db.transaction() as session:
        session.add(models.User(name="orm"))
        assert db.count(models.User) == 1  # flushed before the query
        with db.session() as same:
            assert same is session
            assert same.scalars(select(models.User.name)).all() == ["orm"]
    with db.session() as fresh:
        assert fresh is not session
    assert db.count(models.User) == 1


def test_uncommitted_rows_are_invisible_to_other_threads(db: Database, models: Models) -> None:
    inserted = threading.Event()
    checked = threading.Event()
    seen: list[int] = []

    def other() -> None:
        inserted.wait(5)
        seen.append(db.count(models.User))
        checked.set()

    thread = threading.Thread(target=other)
    thread.start()
    with db.transaction():
        db.create(models.User, {"name": "pending"})
        inserted.set()
        checked.wait(5)
    thread.join(5)
    assert seen == [0]
    assert db.count(models.User) == 1


@pytest.mark.anyio
async def test_async_commit_rollback_and_savepoint(db: Database, models: Models) -> None:
    async with db.atransaction():
        await db.acreate(models.User, {"name": "kept"})
    with suppress(Boom):
        async with db.atransaction():
            await db.acreate(models.User, {"name": "lost"})
            raise Boom
    async with db.atransaction() as session:
        session.add(models.User(name="orm"))
        with suppress(Boom):
            async with db.atransaction():
                await db.acreate(models.User, {"name": "inner"})
                raise Boom
        async with db.asession() as same:
            assert same is session
    assert sorted(u.name for u in await db.afind(models.User)) == ["kept", "orm"]
    await db.aclose()


@pytest.mark.postgres
@pytest.mark.anyio
async def test_fifty_concurrent_tasks_never_see_each_others_uncommitted_rows(
    postgres_url: str, models: Models
) -> None:
    """50 tasks each insert a row in their own transaction, wait for all, then look: each sees only its own."""
    database = Database(postgres_url, pool_size=50, max_overflow=0, pool_timeout=30)
    models.base.metadata.create_all(database.engine)
    tasks = 50
    all_inserted = anyio.Event()
    all_read = anyio.Event()
    done = read = 0
    seen: dict[int, list[str]] = {}

    async def worker(number: int) -> None:
        nonlocal done, read
        async with database.atransaction():
            await database.acreate(models.User, {"name": f"task-{number}"})
            done += 1
            if done == tasks:
                all_inserted.set()
            await all_inserted.wait()
            seen[number] = [u.name for u in await database.afind(models.User)]
            read += 1
            if read == tasks:
                all_read.set()
            await all_read.wait()  # nobody commits before everyone has looked

    try:
        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                for number in range(tasks):
                    group.start_soon(worker, number)
        assert seen == {number: [f"task-{number}"] for number in range(tasks)}
        assert await database.acount(models.User) == tasks
    finally:
        await database.aclose()
        models.base.metadata.drop_all(database.engine)
        database.close()
