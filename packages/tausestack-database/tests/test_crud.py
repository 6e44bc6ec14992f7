"""CRUD over typed models, on SQLite and the real PostgreSQL, sync and async."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from tausestack.database import Database, IntegrityConflictError, InvalidQueryError, RecordNotFoundError

Models = Any


class UserIn(BaseModel):
    name: str
    email: str | None = None
    age: int = 0


class UserOut(BaseModel):
    id: int
    name: str
    age: int


def test_create_returns_the_stored_row_with_defaults(db: Database, models: Models) -> None:
    user = db.create(models.User, {"name": "Ada", "email": "ada@x.io"})
    assert isinstance(user, models.User)
    assert user.id >= 1
    assert user.age == 0  # client-side default
    assert user.created is not None  # server default, from RETURNING
    assert db.get(models.User, user.id).name == "Ada"


def test_pydantic_schema_in_and_out(db: Database, models: Models) -> None:
    out = db.create(models.User, UserIn(name="Grace", age=85), schema=UserOut)
    assert out == UserOut(id=out.id, name="Grace", age=85)
    assert db.get(models.User, out.id, schema=UserOut) == out
    assert db.find(models.User, schema=UserOut) == [out]


def test_model_instance_as_input_and_returned_instance_is_detached(db: Database, models: Models) -> None:
    user = db.create(models.User, models.User(name="Linus", age=30))
    with db.session() as session:
        merged = session.merge(user)
        merged.age = 31
    assert db.get(models.User, user.id).age == 31


def test_unknown_value_column_is_refused_before_io(db: Database, models: Models) -> None:
    with pytest.raises(InvalidQueryError, match="no column 'nickname'"):
        db.create(models.User, {"name": "x", "nickname": "y"})
    assert db.count(models.User) == 0


def test_get_missing_is_none_and_update_missing_raises(db: Database, models: Models) -> None:
    assert db.get(models.User, 999) is None
    with pytest.raises(RecordNotFoundError):
        db.update(models.User, 999, {"age": 1})
    with pytest.raises(LookupError):
        db.update(models.User, 999, {"age": 1})


def test_update_changes_only_given_columns(db: Database, models: Models) -> None:
    user = db.create(models.User, {"name": "Ada", "age": 36, "city": "London"})
    updated = db.update(models.User, user.id, UserIn.model_construct(age=37, _fields_set={"age"}))
    assert (updated.name, updated.age, updated.city) == ("Ada", 37, "London")
    assert db.update(models.User, user.id, {}).age == 37
    with pytest.raises(InvalidQueryError, match="primary key"):
        db.update(models.User, user.id, {"id": user.id + 1})


def test_delete_reports_whether_the_row_existed(db: Database, models: Models) -> None:
    user = db.create(models.User, {"name": "Ada"})
    assert db.delete(models.User, user.id) is True
    assert db.delete(models.User, user.id) is False
    assert db.get(models.User, user.id) is None


def test_renamed_column_and_composite_key(db: Database, models: Models) -> None:
    user = db.create(models.User, {"name": "Ada"})
    post = db.create(models.Post, {"user_id": user.id, "title_text": "Notes"})
    assert post.title_text == "Notes"
    assert db.find(models.Post, where={"title_text__like": "No%"})[0].id == post.id
    assert db.update(models.Post, post.id, {"title_text": "Notes 2"}).title_text == "Notes 2"
    tag = db.create(models.Tag, {"post_id": post.id, "name": "math"})
    assert db.get(models.Tag, (post.id, "math")).name == tag.name
    assert db.get(models.Tag, {"post_id": post.id, "name": "math"}) is not None
    with pytest.raises(InvalidQueryError, match="tuple"):
        db.get(models.Tag, post.id)


def test_unique_violation_is_a_conflict_error_without_values(db: Database, models: Models) -> None:
    db.create(models.User, {"name": "a", "email": "secret-address@x.io"})
    with pytest.raises(IntegrityConflictError) as caught:
        db.create(models.User, {"name": "b", "email": "secret-address@x.io"})
    assert "secret-address" not in str(caught.value)


def test_foreign_key_is_enforced(db: Database, models: Models) -> None:
    with pytest.raises(IntegrityConflictError):
        db.create(models.Post, {"user_id": 12345, "title_text": "orphan"})


def test_count_and_find_with_operators(db: Database, models: Models) -> None:
    rows = [{"name": f"u{i}", "age": i * 10, "city": None if i % 2 else "Paris"} for i in range(6)]
    assert db.create_many(models.User, rows) == 6
    names = lambda where: sorted(u.name for u in db.find(models.User, where=where))  # noqa: E731
    assert names({"age__gt": 30}) == ["u4", "u5"]
    assert names({"age__ge": 30, "age__lt": 50}) == ["u3", "u4"]
    assert names({"age__le": 10}) == ["u0", "u1"]
    assert names({"name__ne": "u0", "city": "Paris"}) == ["u2", "u4"]
    assert names({"name__in": ["u1", "u3", "nobody"]}) == ["u1", "u3"]
    assert names({"name__in": []}) == []
    assert names({"city__is_null": True}) == ["u1", "u3", "u5"]
    assert names({"city__is_null": False, "name__like": "u%"}) == ["u0", "u2", "u4"]
    assert names({"city": None}) == ["u1", "u3", "u5"]
    assert names({"name__ilike": "U5"}) == ["u5"]
    assert names([("age", "gt", 10), ("age", "lt", 40)]) == ["u2", "u3"]
    assert db.count(models.User, where={"age__gt": 30}) == 2
    assert db.count(models.User) == 6


def test_order_limit_offset(db: Database, models: Models) -> None:
    db.create_many(models.User, [{"name": n, "age": a} for n, a in [("b", 2), ("a", 2), ("c", 1)]])
    assert [u.name for u in db.find(models.User, order_by=["-age", "name"])] == ["a", "b", "c"]
    assert [u.name for u in db.find(models.User, order_by="name", limit=2, offset=1)] == ["b", "c"]
    assert [u.name for u in db.list(models.User, order_by="+name", limit=1)] == ["a"]


def test_keyset_pagination_walks_every_row_once(db: Database, models: Models) -> None:
    db.create_many(models.User, [{"name": f"u{i:02}", "age": i % 3} for i in range(10)])
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = db.page(models.User, limit=3, order_by="-age", after=after)
        seen += [u.name for u in page.items]
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert pages == 4
    assert sorted(seen) == [f"u{i:02}" for i in range(10)]
    ages = [db.find(models.User, where={"name": n})[0].age for n in seen]
    assert ages == sorted(ages, reverse=True)
    out = db.page(models.User, limit=20, schema=UserOut)
    assert len(out.items) == 10
    assert isinstance(out.items[0], UserOut)
    assert out.next_after is None


def test_upsert_inserts_then_updates_on_conflict(db: Database, models: Models) -> None:
    first = db.upsert(models.User, {"email": "a@x.io", "name": "A", "age": 1}, conflict=["email"])
    second = db.upsert(
        models.User, {"email": "a@x.io", "name": "A2", "age": 2}, conflict=["email"], update=["name"]
    )
    assert second.id == first.id
    assert (second.name, second.age) == ("A2", 1)
    third = db.upsert(models.User, {"id": first.id, "name": "by pk"})
    assert (third.id, third.name, third.email) == (first.id, "by pk", "a@x.io")
    same = db.upsert(models.User, {"email": "a@x.io", "name": "ignored"}, conflict=["email"], update=[])
    assert (same.id, same.name) == (first.id, "by pk")
    assert db.count(models.User) == 1
    with pytest.raises(InvalidQueryError):
        db.upsert(models.User, {"name": "x"}, conflict=["email"])
    with pytest.raises(InvalidQueryError):
        db.upsert(models.User, {"email": "q", "name": "x"}, conflict=["email; drop table x"])


def test_create_many_returning_and_pydantic_rows(db: Database, models: Models) -> None:
    created = db.create_many(models.User, [UserIn(name="a"), {"name": "b", "age": 3}], returning=True)
    assert [(u.name, u.age) for u in created] == [("a", 0), ("b", 3)]
    assert db.create_many(models.User, []) == 0
    with pytest.raises(InvalidQueryError):
        db.create_many(models.User, [{"name": "c"}, {"name": "d", "bogus": 1}])
    assert db.count(models.User) == 2


@pytest.mark.anyio
async def test_async_crud(db: Database, models: Models) -> None:
    user = await db.acreate(models.User, {"name": "Ada", "age": 36})
    assert (await db.aget(models.User, user.id)).name == "Ada"
    assert (await db.aupdate(models.User, user.id, {"age": 37})).age == 37
    assert await db.acreate_many(models.User, [{"name": "b"}, {"name": "c"}]) == 2
    assert [u.name for u in await db.afind(models.User, where={"age__lt": 30}, order_by="name")] == ["b", "c"]
    assert [u.name for u in await db.alist(models.User, order_by="-name", limit=1)] == ["c"]
    assert await db.acount(models.User) == 3
    page = await db.apage(models.User, limit=2, order_by="name", schema=UserOut)
    assert [u.name for u in page.items] == ["Ada", "b"]
    upserted = await db.aupsert(models.User, {"id": user.id, "name": "Ada L."})
    assert upserted.name == "Ada L."
    assert await db.adelete(models.User, user.id) is True
    assert await db.aget(models.User, user.id, schema=UserOut) is None
    await db.aclose()
