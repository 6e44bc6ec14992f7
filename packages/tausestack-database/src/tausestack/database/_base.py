"""``Base``: a declarative base for your models, with constraint names Alembic can rely on."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

__all__ = ["Base", "NAMING_CONVENTION"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declare your models on this (any other ``DeclarativeBase`` works too).

    >>> from sqlalchemy.orm import Mapped, mapped_column
    >>> class Note(Base):
    ...     __tablename__ = "doc_notes"
    ...     id: Mapped[int] = mapped_column(primary_key=True)
    ...     text: Mapped[str]
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
