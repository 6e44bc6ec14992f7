"""Fixtures: a Database on SQLite (a file in the test's directory) and on the real PostgreSQL.

Each test gets its own tables (unique names), created before and dropped after, so tests on the
shared PostgreSQL database never collide.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import ForeignKey, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tausestack.database import Database

_counter = itertools.count()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Models:
    """Freshly declared models with table names unique to one test."""

    base: type[DeclarativeBase]
    User: type[Any]
    Post: type[Any]
    Tag: type[Any]


def declare_models() -> Models:
    suffix = f"{os.getpid()}_{next(_counter)}"

    class Base(DeclarativeBase):
        metadata = MetaData()

    class User(Base):
        __tablename__ = f"users_{suffix}"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(100))
        email: Mapped[str | None] = mapped_column(String(200), unique=True)
        age: Mapped[int] = mapped_column(default=0)
        city: Mapped[str | None] = mapped_column(String(100))
        created: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    class Post(Base):
        __tablename__ = f"posts_{suffix}"
        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey(f"{User.__tablename__}.id"))
        title_text: Mapped[str] = mapped_column("title", String(200))

    class Tag(Base):
        __tablename__ = f"tags_{suffix}"
        post_id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50), primary_key=True)

    return Models(Base, User, Post, Tag)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return "sqlite:///test.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def models() -> Models:
    return declare_models()


@pytest.fixture
def db(database_url: str, models: Models) -> Iterator[Database]:
    database = Database(database_url)
    models.base.metadata.create_all(database.engine)
    try:
        yield database
    finally:
        models.base.metadata.drop_all(database.engine)
        database.close()
