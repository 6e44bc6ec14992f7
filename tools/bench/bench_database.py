"""tausestack.database beside raw SQLAlchemy Core on the same PostgreSQL, in one run (DESIGN.md section 5).

Targets: CRUD of a 10-column model (create, get, update, find 100 rows) ≤ 1.15 of raw SQLAlchemy
Core doing the same statements on an engine with the same pool settings; bulk insert ≤ 1.10 of
raw Core ``executemany`` (``conn.execute(insert(table), rows)``). Each operation and the whole
cycle are timed, sync and async, in interleaved batches (``tools/bench/ratios.py``); ratios are
medians. The raw side is the strict baseline: its statements are built once and run with bound
parameters, as tausestack's are (one more line compares with Core building each statement per
call, the way hand-written Core code usually reads). Each side opens one transaction per
operation (``engine.begin()``), as tausestack does outside ``transaction()``. The raw side gets
Row tuples; tausestack returns detached model instances, whose construction (~1 µs a row) is
part of what ``find`` measures. The bulk insert uses 100 000 rows per call (``--rows``).

The PostgreSQL server is the one the tests use (``TAUSESTACK_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``); a throwaway database is created and dropped.
``--async-commit`` creates it with ``synchronous_commit = off``: commits no longer wait for the
disk, statements get cheaper and the ratios show the client-side overhead more starkly (the
strict view). Short batches (20 calls, 31 batches) keep bursts of load on a shared machine from
landing on one side only.

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
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import Integer, String, Table, bindparam, create_engine, insert, select, text, update
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


def create_database(*, async_commit: bool = False) -> tuple[str, str]:
    import psycopg

    name = f"tausestack_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        if async_commit:
            # Commits stop waiting for the WAL flush: the shared disk's latency leaves both sides'
            # timings, so each statement is cheaper and the client-side overhead shows more.
            admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    base, _, _ = SERVER.rpartition("/")
    return name, f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


POOL: dict[str, Any] = {"pool_size": 5, "max_overflow": 10}
"""The same pool settings on both sides (SQLAlchemy's defaults, spelled out)."""

Ops = dict[str, Callable[[], Any]]


def raw_statements(table: Table) -> dict[str, Any]:
    """The raw side's statements, built once and run with bound parameters (as tausestack does)."""
    cols = list(table.c)
    return {
        "create": insert(table).returning(*cols),
        "get": select(*cols).where(table.c.id == bindparam("id")),
        "update": update(table).where(table.c.id == bindparam("key")).returning(*cols),
        "find": select(*cols)
        .where(table.c.age >= bindparam("age"))
        .order_by(table.c.id)
        .limit(bindparam("limit", type_=Integer())),
    }


def crud(url: str, number: int, batches: int) -> list[Result]:
    db = Database(url, **POOL)
    engine = create_engine(url, hide_parameters=True, **POOL)
    table: Table = Item.__table__  # type: ignore[assignment]
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [row(n) for n in range(1000)])
    counter = itertools.count(1)
    ids = itertools.cycle(range(1, 1001))
    cols = list(table.c)
    stmts = raw_statements(table)

    def raw_create() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["create"], row(next(counter))).one()

    def raw_get() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["get"], {"id": next(ids)}).first()

    def raw_update() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["update"], {"key": next(ids), "age": next(counter) % 90}).one()

    def raw_find() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["find"], {"age": 0, "limit": 100}).all()

    ours: Ops = {
        "create": lambda: db.create(Item, row(next(counter))),
        "get": lambda: db.get(Item, next(ids)),
        "update": lambda: db.update(Item, next(ids), {"age": next(counter) % 90}),
        "find 100 rows": lambda: db.find(Item, where={"age__ge": 0}, order_by="id", limit=100),
    }
    raw: Ops = {"create": raw_create, "get": raw_get, "update": raw_update, "find 100 rows": raw_find}
    results = [
        compare(f"{name} (sync)", ours=ours[name], raw=raw[name], number=number, batches=batches, target=1.15)
        for name in ours
    ]
    ours_cycle, raw_cycle = _cycle(ours), _cycle(raw)
    results.append(
        compare(
            "CRUD cycle (sync)", ours=ours_cycle, raw=raw_cycle, number=number, batches=batches, target=1.15
        )
    )

    def raw_cycle_per_call() -> None:  # statements built in each call, as hand-written Core often is
        with engine.begin() as conn:
            conn.execute(insert(table).returning(*cols), row(next(counter))).one()
        with engine.begin() as conn:
            conn.execute(select(*cols).where(table.c.id == next(ids))).first()
        with engine.begin() as conn:
            stmt = update(table).where(table.c.id == next(ids)).values(age=next(counter) % 90)
            conn.execute(stmt.returning(*cols)).one()
        with engine.begin() as conn:
            conn.execute(select(*cols).where(table.c.age >= 0).order_by(table.c.id).limit(100)).all()

    results.append(
        compare(
            "CRUD cycle (sync) vs Core building statements per call",
            ours=ours_cycle,
            raw=raw_cycle_per_call,
            number=number,
            batches=batches,
        )
    )
    sql = "SELECT * FROM bench_items WHERE age >= :a ORDER BY id LIMIT 100"

    def raw_text() -> list[dict[str, Any]]:
        with engine.begin() as conn:
            return [dict(r) for r in conn.execute(text(sql), {"a": 0}).mappings()]

    results.append(
        compare(
            "fetch_all 100 rows, raw SQL (sync)",
            ours=lambda: db.fetch_all(sql, {"a": 0}),
            raw=raw_text,
            number=number,
            batches=batches,
        )
    )
    db.close()
    engine.dispose()
    return results


def _cycle(ops: Ops) -> Callable[[], None]:
    steps = list(ops.values())

    def cycle() -> None:
        for step in steps:
            step()

    return cycle


def _acycle(ops: dict[str, Callable[[], Awaitable[Any]]]) -> Callable[[], Awaitable[None]]:
    steps = list(ops.values())

    async def cycle() -> None:
        for step in steps:
            await step()

    return cycle


async def async_crud(url: str, number: int, batches: int) -> list[Result]:
    db = Database(url, **POOL)
    engine = create_async_engine(url, hide_parameters=True, **POOL)
    table: Table = Item.__table__  # type: ignore[assignment]
    counter = itertools.count(10_000_000)
    ids = itertools.cycle(range(1, 1001))
    stmts = raw_statements(table)

    async def raw_create() -> object:
        async with engine.begin() as conn:
            return (await conn.execute(stmts["create"], row(next(counter)))).one()

    async def raw_get() -> object:
        async with engine.begin() as conn:
            return (await conn.execute(stmts["get"], {"id": next(ids)})).first()

    async def raw_update() -> object:
        async with engine.begin() as conn:
            params = {"key": next(ids), "age": next(counter) % 90}
            return (await conn.execute(stmts["update"], params)).one()

    async def raw_find() -> object:
        async with engine.begin() as conn:
            return (await conn.execute(stmts["find"], {"age": 0, "limit": 100})).all()

    ours: dict[str, Callable[[], Awaitable[Any]]] = {
        "create": lambda: db.acreate(Item, row(next(counter))),
        "get": lambda: db.aget(Item, next(ids)),
        "update": lambda: db.aupdate(Item, next(ids), {"age": next(counter) % 90}),
        "find 100 rows": lambda: db.afind(Item, where={"age__ge": 0}, order_by="id", limit=100),
    }
    raw: dict[str, Callable[[], Awaitable[Any]]] = {
        "create": raw_create,
        "get": raw_get,
        "update": raw_update,
        "find 100 rows": raw_find,
    }
    results = [
        await acompare(
            f"{name} (async)", ours=ours[name], raw=raw[name], number=number, batches=batches, target=1.15
        )
        for name in ours
    ]
    results.append(
        await acompare(
            "CRUD cycle (async)",
            ours=_acycle(ours),
            raw=_acycle(raw),
            number=number,
            batches=batches,
            target=1.15,
        )
    )
    await db.aclose()
    await engine.dispose()
    return results


def bulk(url: str, rows: int, batches: int) -> Result:
    db = Database(url, **POOL)
    engine = create_engine(url, hide_parameters=True, **POOL)
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
    parser.add_argument("--number", type=int, default=20, help="calls per batch for CRUD")
    parser.add_argument("--batches", type=int, default=31, help="interleaved batches per comparison")
    parser.add_argument("--bulk-batches", type=int, default=5)
    parser.add_argument(
        "--async-commit", action="store_true", help="synchronous_commit = off in the bench database"
    )
    args = parser.parse_args()
    try:
        name, url = create_database(async_commit=args.async_commit)
    except Exception as exc:
        print(f"PostgreSQL is not reachable at {SERVER}: {exc}; nothing measured")
        return
    try:
        results = crud(url, args.number, args.batches)
        results += asyncio.run(async_crud(url, args.number, args.batches))
        results.append(bulk(url, args.rows, args.bulk_batches))
        report(
            results,
            title=f"tausestack.database / raw SQLAlchemy {__import__('sqlalchemy').__version__} Core, "
            f"PostgreSQL{' (synchronous_commit off)' if args.async_commit else ''}",
        )
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
