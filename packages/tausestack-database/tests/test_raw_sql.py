"""Raw SQL with bound parameters only."""

# Table names are per-test fixture values, never input: formatting them into SQL is safe here.
# ruff: noqa: S608

from __future__ import annotations

from contextlib import suppress
from typing import Any

import pytest
from sqlalchemy import select

from tausestack.database import Database, InvalidQueryError

Models = Any


def test_execute_fetch_all_fetch_one(db: Database, models: Models) -> None:
    table = models.User.__tablename__
    assert db.execute(f"INSERT INTO {table} (name, age) VALUES (:name, :age)", {"name": "a", "age": 1}) == 1
    assert db.execute(
        f"INSERT INTO {table} (name, age) VALUES (:name, :age)",
        [{"name": "b", "age": 2}, {"name": "c", "age": 3}],
    ) in (2, -1)
    rows = db.fetch_all(f"SELECT name, age FROM {table} WHERE age >= :min ORDER BY age", {"min": 2})
    assert rows == [{"name": "b", "age": 2}, {"name": "c", "age": 3}]
    assert db.fetch_one(f"SELECT name FROM {table} WHERE age = :age", {"age": 1}) == {"name": "a"}
    assert db.fetch_one(f"SELECT name FROM {table} WHERE age = :age", {"age": 99}) is None
    assert db.execute(f"UPDATE {table} SET age = age + 1 WHERE age < :n", {"n": 3}) == 2
    assert db.fetch_all(select(models.User.name).order_by(models.User.name)) == [
        {"name": "a"},
        {"name": "b"},
        {"name": "c"},
    ]


def test_raw_sql_joins_the_current_transaction(db: Database, models: Models) -> None:
    table = models.User.__tablename__
    with suppress(LookupError), db.transaction():
        db.execute(f"INSERT INTO {table} (name, age) VALUES (:n, 0)", {"n": "x"})
        assert db.fetch_one(f"SELECT count(*) AS n FROM {table}") == {"n": 1}
        raise LookupError("roll back")
    assert db.fetch_one(f"SELECT count(*) AS n FROM {table}") == {"n": 0}


@pytest.mark.parametrize("params", [("a",), "a", 5, [1, 2]])
def test_params_must_be_named(db: Database, params: Any) -> None:
    with pytest.raises(InvalidQueryError, match="params"):
        db.fetch_all("SELECT :a AS a", params)


@pytest.mark.parametrize("sql", ["", "   ", 42, b"SELECT 1"])
def test_sql_must_be_text_or_a_statement(db: Database, sql: Any) -> None:
    with pytest.raises(InvalidQueryError):
        db.execute(sql)


@pytest.mark.anyio
async def test_async_raw_sql(db: Database, models: Models) -> None:
    table = models.User.__tablename__
    assert await db.aexecute(f"INSERT INTO {table} (name, age) VALUES (:n, :a)", {"n": "q", "a": 5}) == 1
    assert await db.afetch_all(f"SELECT name FROM {table}") == [{"name": "q"}]
    assert await db.afetch_one(f"SELECT age FROM {table} WHERE name = :n", {"n": "q"}) == {"age": 5}
    async with db.atransaction():
        await db.aexecute(f"DELETE FROM {table}")
    assert await db.afetch_one(f"SELECT name FROM {table}") is None
    await db.aclose()
