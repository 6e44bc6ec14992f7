"""tausestack.database beside raw SQLAlchemy Core on the same PostgreSQL, in one run (DESIGN.md section 5).

Targets: CRUD of a 10-column model (create, get, update, find 100 rows) ≤ 1.15 of raw SQLAlchemy
Core doing the same statements on an engine with the same settings; bulk insert ≤ 1.10 of raw
Core ``executemany`` (``conn.execute(insert(table), rows)``). Each side is timed in interleaved
batches; ratios are medians. The bulk insert uses 100 000 rows per call (``--rows`` to change).

The PostgreSQL server is the one the tests use (``TAUSESTACK_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``); a throwaway database is created and dropped.

Run: ``$(hatch env find hatch-test.py3.11)/bin/python tools/bench/bench_database.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import String, Table, create_engine, insert, select, text, update
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tausestack.database import Database
from tools.bench.ratios import Result, acompare, compare, report

SERVER = os.environ.get("TAUSESTACK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "bench_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200))
    age: Mapped[int]
    score: Mapped[float]
    active: Mapped[bool]
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    created: Mapped[dt.datetime]
    notes: Mapped[str] = mapped_column(String(500))


NOW = dt.datetime(2024, 5, 1, 12, 0, 0)


def row(n: int) -> dict[str, Any]:
    return {
        "name": f"name {n}",
        "email": f"user{n}@example.com",
        "age": n % 90,
        "score": n / 7,
        "active": n % 2 == 0,
        "city": "Bogotá",
        "country": "CO",
        "created": NOW,
        "notes": "lorem ipsum " * 4,
    }


def create_database() -> tuple[str, str]:
    import psycopg

    name = f"tausestack_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = SERVER.rpartition("/")
    return name, f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def crud(url: str, number: int, batches: int) -> list[Result]:
    db = Database(url)
    engine = create_engine(url, hide_parameters=True)
    table: Table = Item.__table__  # type: ignore[assignment]
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [row(n) for n in range(1000)])
    counter = itertools.count(1)
    ids = itertools.cycle(range(1, 1001))
    cols = list(table.c)

    def raw_create() -> object:
        with engine.begin() as conn:
            return conn.execute(insert(table).returning(*cols), row(next(counter))).one()

    def raw_get() -> object:
        with engine.begin() as conn:
            return conn.execute(select(*cols).where(table.c.id == next(ids))).first()

    def raw_update() -> object:
        n = next(counter)
        with engine.begin() as conn:
            stmt = update(table).where(table.c.id == next(ids)).values(age=n % 90).returning(*cols)
            return conn.execute(stmt).one()

    def raw_find() -> object:
        with engine.begin() as conn:
            return conn.execute(select(*cols).where(table.c.age >= 0).order_by(table.c.id).limit(100)).all()

    ours: dict[str, Callable[[], object]] = {
        "create": lambda: db.create(Item, row(next(counter))),
        "get": lambda: db.get(Item, next(ids)),
        "update": lambda: db.update(Item, next(ids), {"age": next(counter) % 90}),
        "find 100 rows": lambda: db.find(Item, where={"age__ge": 0}, order_by="id", limit=100),
    }
    raw: dict[str, Callable[[], object]] = {
        "create": raw_create,
        "get": raw_get,
        "update": raw_update,
        "find 100 rows": raw_find,
    }
    results = [
        compare(f"{name} (sync)", ours=ours[name], raw=raw[name], number=number, batches=batches, target=1.15)
        for name in ours
    ]

    def ours_cycle() -> None:
        for step in ours.values():
            step()

    def raw_cycle() -> None:
        for step in raw.values():
            step()

    results.append(
        compare(
            "CRUD cycle (sync)", ours=ours_cycle, raw=raw_cycle, number=number, batches=batches, target=1.15
        )
    )
    results.append(
        compare(
            "fetch_all 100 rows, raw SQL (sync)",
            ours=lambda: db.fetch_all(
                "SELECT * FROM bench_items WHERE age >= :a ORDER BY id LIMIT 100", {"a": 0}
            ),
            raw=lambda: _raw_text(engine),
            number=number,
            batches=batches,
        )
    )
    db.close()
    engine.dispose()
    return results


def _raw_text(engine: Any) -> list[dict[str, Any]]:
    with engine.begin() as conn:
        return [
            dict(r)
            for r in conn.execute(
                text("SELECT * FROM bench_items WHERE age >= :a ORDER BY id LIMIT 100"), {"a": 0}
            ).mappings()
        ]


async def async_crud(url: str, number: int, batches: int) -> list[Result]:
    db = Database(url)
    engine = create_async_engine(url, hide_parameters=True)
    table: Table = Item.__table__  # type: ignore[assignment]
    cols = list(table.c)
    counter = itertools.count(10_000_000)
    ids = itertools.cycle(range(1, 1001))

    async def raw_cycle() -> None:
        async with engine.begin() as conn:
            (await conn.execute(insert(table).returning(*cols), row(next(counter)))).one()
        async with engine.begin() as conn:
            (await conn.execute(select(*cols).where(table.c.id == next(ids)))).first()
        async with engine.begin() as conn:
            stmt = (
                update(table).where(table.c.id == next(ids)).values(age=next(counter) % 90).returning(*cols)
            )
            (await conn.execute(stmt)).one()
        async with engine.begin() as conn:
            (await conn.execute(select(*cols).where(table.c.age >= 0).order_by(table.c.id).limit(100))).all()

    async def ours_cycle() -> None:
        await db.acreate(Item, row(next(counter)))
        await db.aget(Item, next(ids))
        await db.aupdate(Item, next(ids), {"age": next(counter) % 90})
        await db.afind(Item, where={"age__ge": 0}, order_by="id", limit=100)

    result = await acompare(
        "CRUD cycle (async)", ours=ours_cycle, raw=raw_cycle, number=number, batches=batches, target=1.15
    )
    await db.aclose()
    await engine.dispose()
    return [result]


def bulk(url: str, rows: int, batches: int) -> Result:
    db = Database(url)
    engine = create_engine(url, hide_parameters=True)
    table: Table = Item.__table__  # type: ignore[assignment]
    data = [row(n) for n in range(rows)]

    def raw_bulk() -> None:
        with engine.begin() as conn:
            conn.execute(insert(table), data)

    result = compare(
        f"bulk insert {rows:,} rows",
        ours=lambda: db.create_many(Item, data),
        raw=raw_bulk,
        number=1,
        batches=batches,
        warmup=0,
        target=1.10,
    )
    db.close()
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows per bulk insert (default 100000)")
    parser.add_argument("--number", type=int, default=100, help="calls per batch for CRUD")
    parser.add_argument("--batches", type=int, default=9)
    parser.add_argument("--bulk-batches", type=int, default=5)
    args = parser.parse_args()
    try:
        name, url = create_database()
    except Exception as exc:
        print(f"PostgreSQL is not reachable at {SERVER}: {exc}; nothing measured")
        return
    try:
        results = crud(url, args.number, args.batches)
        results += asyncio.run(async_crud(url, args.number // 2, args.batches))
        results.append(bulk(url, args.rows, args.bulk_batches))
        report(
            results,
            title=f"tausestack.database / raw SQLAlchemy {__import__('sqlalchemy').__version__} Core, PostgreSQL",
        )
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
