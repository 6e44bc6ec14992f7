"""Filters, sort strings and values are validated; injection attempts never reach SQL as SQL."""

# Table names are per-test fixture values, never input: formatting them into SQL is safe here.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import literal_column, text

from tausestack.database import OPERATORS, Database, InvalidQueryError

Models = Any

COLUMN_ATTACKS = [
    "name; DROP TABLE users",
    "name--",
    "1=1",
    "name) OR (1=1",
    '"name"',
    "__class__",
    "metadata",
    "_sa_instance_state",
]


@pytest.mark.parametrize("column", COLUMN_ATTACKS)
def test_unknown_filter_columns_are_refused(db: Database, models: Models, column: str) -> None:
    with pytest.raises(InvalidQueryError, match=r"no filter column|unknown filter operator"):
        db.find(models.User, where={column: "x"})
    with pytest.raises(InvalidQueryError):
        db.count(models.User, where=[(column, "eq", 1)])


@pytest.mark.parametrize("key", ["age__between", "age__gt OR 1=1", "age__", "age__GT", "age__eq__eq"])
def test_unknown_operators_are_refused(db: Database, models: Models, key: str) -> None:
    with pytest.raises(InvalidQueryError):
        db.find(models.User, where={key: 1})


@pytest.mark.parametrize(
    "order_by",
    [
        "name; DROP TABLE users",
        "name desc",
        "-name,age",
        "RANDOM()",
        "--name",
        "1",
        "",
        "nickname",
        ["name", "age asc"],
    ],
)
def test_invalid_sort_strings_are_refused(db: Database, models: Models, order_by: Any) -> None:
    with pytest.raises(InvalidQueryError):
        db.find(models.User, order_by=order_by)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"name__in": "abc"}, "list"),
        ({"age__is_null": "yes"}, "True or False"),
        ({"name__like": 5}, "pattern"),
        ({"age__gt": None}, "is_null"),
        ({"name": text("1=1")}, "plain data"),
        ({"name__in": [literal_column("name")]}, "plain data"),
        ([("name", "eq")], "triples"),
        ("name = 'x'", "mapping"),
    ],
)
def test_malformed_values_are_refused(db: Database, models: Models, where: Any, message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        db.find(models.User, where=where)


@pytest.mark.parametrize("limit", [-1, "10", 1.5, True])
def test_bad_limits_are_refused(db: Database, models: Models, limit: Any) -> None:
    with pytest.raises(InvalidQueryError):
        db.find(models.User, limit=limit)


def test_injection_in_values_is_just_data(db: Database, models: Models) -> None:
    hostile = ["x' OR '1'='1", "'; DROP TABLE users; --", 'Robert"); --', "%' OR 1=1 --"]
    for value in hostile:
        db.create(models.User, {"name": value})
    assert db.count(models.User) == 4
    for value in hostile:
        assert [u.name for u in db.find(models.User, where={"name": value})] == [value]
    assert db.find(models.User, where={"name": "x' OR '1'='1' --"}) == []
    assert db.count(models.User, where={"name__in": hostile[:2]}) == 2
    assert db.fetch_all(
        f"SELECT name FROM {models.User.__tablename__} WHERE name = :name", {"name": hostile[1]}
    ) == [{"name": hostile[1]}]
    db.execute(f"DELETE FROM {models.User.__tablename__} WHERE name = :n", {"n": "' OR 1=1 --"})
    assert db.count(models.User) == 4


def test_operators_are_documented() -> None:
    assert set(OPERATORS) >= {"eq", "ne", "lt", "le", "gt", "ge", "in", "like", "is_null"}


def test_keyset_after_must_match_the_sort_keys(db: Database, models: Models) -> None:
    with pytest.raises(InvalidQueryError, match="one value per sort key"):
        db.find(models.User, order_by="age", after=(1,))
    with pytest.raises(InvalidQueryError, match="offset or after"):
        db.find(models.User, order_by="age", after=(1, 2), offset=3)
    with pytest.raises(InvalidQueryError, match="limit >= 1"):
        db.page(models.User, limit=0)


def test_a_non_model_is_refused(db: Database) -> None:
    class NotAModel:
        pass

    with pytest.raises(InvalidQueryError, match="not a mapped SQLAlchemy model"):
        db.find(NotAModel)
    with pytest.raises(InvalidQueryError):
        db.get("users", 1)  # type: ignore[arg-type]
