"""``find``/``count`` statements cached per query shape give the rows a freshly built statement gives."""

from __future__ import annotations

from typing import Any

import pytest

from tausestack.database import Database, InvalidQueryError
from tausestack.database._filters import keyset_order, parse_order, parse_where
from tausestack.database._models import model_info
from tausestack.database._select import CACHE_SIZE, select_rows

Models = Any

QUERIES: list[dict[str, Any]] = [
    {"where": {"age__gt": 30}},
    {"where": {"age__gt": 10}, "order_by": "-age", "limit": 2},
    {"where": {"age__ge": 0}, "order_by": "name", "limit": 3, "offset": 2},
    {"where": {"name__in": ["u1", "u4", "nobody"]}, "order_by": "name"},
    {"where": {"name__in": ["u2"]}, "order_by": "name"},
    {"where": {"name__in": []}},
    {"where": {"city": None}, "order_by": "name"},
    {"where": {"city": "Paris", "name__ne": "u0"}, "order_by": "name"},
    {"where": {"city__is_null": False, "name__like": "u%"}, "order_by": "-name"},
    {"where": {"name__ilike": "U3"}},
    {"where": [("age", "ge", 20), ("age", "le", 40)], "order_by": ["-age", "name"]},
    {"order_by": "-age", "limit": 2, "after": (30, 3)},
    {"order_by": ["city", "name"], "limit": 2, "after": ("Paris", "u2", 2)},
    {"where": {"age__lt": 50}, "order_by": "age", "limit": 10, "after": (10, 1)},
]


def _fresh(db: Database, model: type[Any], query: dict[str, Any]) -> list[str]:
    """The same query with every value literal in a statement built just now (the uncached path)."""
    info = model_info(model)
    order = parse_order(info, query.get("order_by"))
    after = query.get("after")
    if after is not None:
        order = keyset_order(info, order)
    stmt = select_rows(
        info,
        parse_where(info, query.get("where")),
        order,
        limit=query.get("limit"),
        offset=query.get("offset"),
        after=after,
    )
    with db.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [row.name for row in rows]


@pytest.fixture
def people(db: Database, models: Models) -> type[Any]:
    rows = [{"name": f"u{i}", "age": i * 10, "city": None if i % 2 else "Paris"} for i in range(6)]
    db.create_many(models.User, rows)
    return models.User  # type: ignore[no-any-return]


@pytest.mark.parametrize("query", QUERIES, ids=[str(i) for i in range(len(QUERIES))])
def test_cached_statements_find_what_a_fresh_statement_finds(
    db: Database, people: type[Any], query: dict[str, Any]
) -> None:
    expected = _fresh(db, people, query)
    for _ in range(2):  # the second call runs the cached statement
        assert [u.name for u in db.find(people, **query)] == expected
    assert model_info(people).queries, "the statement of this shape was cached"


def test_one_statement_per_shape_whatever_the_values(db: Database, people: type[Any]) -> None:
    info = model_info(people)
    for bound in (0, 15, 25, 45):
        names = [u.name for u in db.find(people, where={"age__gt": bound}, order_by="age", limit=2)]
        assert names == [f"u{i}" for i in range(6) if i * 10 > bound][:2]
        assert db.count(people, where={"age__gt": bound}) == len([i for i in range(6) if i * 10 > bound])
    for offset in (1, 3):
        assert [u.name for u in db.find(people, order_by="age", limit=2, offset=offset)] == [
            f"u{offset}",
            f"u{offset + 1}",
        ]
    shapes = sorted(key[0] for key in info.queries)
    assert shapes == ["count", "find", "find"]  # (where, limit) and (limit, offset): two find shapes


def test_a_value_of_another_type_is_not_bound_with_the_column_type(db: Database, people: type[Any]) -> None:
    info = model_info(people)
    # An int compared with a string column: SQLAlchemy would bind it as an Integer, so the cached
    # (String-typed) statement must not be used; the statement is built per call as before.
    query = {"where": {"name__ne": 5}, "order_by": "name"}
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(Exception, match="operator does not exist"):
            db.find(people, **query)
    else:
        assert [u.name for u in db.find(people, **query)] == _fresh(db, people, query)
    assert not info.queries


def test_the_cache_is_bounded(db: Database, people: type[Any]) -> None:
    info = model_info(people)
    keys = [sign + name for name in ("id", "name", "age", "city", "email", "created") for sign in "+-"]
    orders = [[first, second] for first in keys for second in keys if first[1:] != second[1:]]
    pages = [(None, None), (1, None), (None, 1), (2, 1)]
    assert len(orders) * len(pages) > CACHE_SIZE
    for order in orders:
        for limit, offset in pages:
            db.find(people, where={"age__ge": 0}, order_by=order, limit=limit, offset=offset)
            assert len(info.queries) <= CACHE_SIZE
    assert info.queries


def test_bad_input_is_still_refused_before_the_cache(db: Database, people: type[Any]) -> None:
    db.find(people, order_by="-age", limit=2, after=(30, 3))
    with pytest.raises(InvalidQueryError, match="one value per sort key"):
        db.find(people, order_by="-age", limit=2, after=(30,))
    with pytest.raises(InvalidQueryError, match="non-null"):
        db.find(people, order_by="-age", limit=2, after=(None, 3))
    with pytest.raises(InvalidQueryError, match="offset or after"):
        db.find(people, order_by="-age", offset=1, after=(30, 3))
    with pytest.raises(InvalidQueryError, match="limit"):
        db.find(people, where={"age__gt": 1}, limit=-1)


def test_found_instances_are_detached_rows_a_session_can_change(db: Database, models: Models) -> None:
    from sqlalchemy import inspect

    user = db.create(models.User, {"name": "ada", "age": 36})
    post = db.create(models.Post, {"user_id": user.id, "title_text": "hello"})
    db.create_many(models.Tag, [{"post_id": post.id, "name": "a"}, {"post_id": post.id, "name": "b"}])
    tags = db.find(models.Tag, order_by="name")
    (found,) = db.find(models.Post)
    assert [inspect(tag).identity for tag in tags] == [(post.id, "a"), (post.id, "b")]
    assert inspect(found).detached
    assert inspect(found).identity == (post.id,)
    assert found.title_text == "hello"
    with db.session() as session:
        session.add(found)
        found.title_text = "changed"
        session.delete(tags[0])
    assert db.get(models.Post, post.id).title_text == "changed"
    assert [tag.name for tag in db.find(models.Tag)] == ["b"]
