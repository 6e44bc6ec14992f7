"""tausestack.database beside raw SQLAlchemy Core on the same PostgreSQL, in one run (DESIGN.md section 5).

Targets: CRUD of a 10-column model (create, get, update, find 100 rows) ≤ 1.15 of raw SQLAlchemy
Core doing the same statements on the same engine (one pool, same settings); bulk insert ≤ 1.10 of
raw Core ``executemany`` (``conn.execute(insert(table), rows)``). Each operation and the whole
cycle are timed, sync and async, in interleaved batches (``tools/bench/ratios.py``); ratios are
medians. The raw side is the strict baseline: its statements are built once and run with bound
parameters, as tausestack's are (one more line compares with Core building each statement per
call, the way hand-written Core code usually reads). The raw side wraps each operation in
``engine.begin()``, the usual Core idiom: BEGIN, statement, COMMIT. tausestack runs a
one-statement operation on PostgreSQL in autocommit (one round trip; the statement is atomic on
its own), so another line compares the cycle with raw Core in autocommit too: the same round
trips, i.e. tausestack's own client-side overhead. The raw side gets
Row tuples; tausestack returns detached model instances, whose construction (~1 µs a row) is
part of what ``find`` measures. The bulk insert uses 100 000 rows per call (``--rows``).

The PostgreSQL server is the one the tests use (``TAUSESTACK_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``); a throwaway database is created and dropped.
``--async-commit`` creates it with ``synchronous_commit = off``: commits no longer wait for the
disk, statements get cheaper and the ratios show the client-side overhead more starkly (the
strict view). ``--gc-freeze`` calls ``gc.freeze()`` first (as servers often do): ``find``
builds ~8 GC-tracked objects per model instance, which triggers collections; without the freeze
each full collection rescans every object SQLAlchemy, psycopg and pydantic allocated at import,
and that is most of ``find``'s remaining overhead on this machine. Short batches (20 calls, 31 batches) keep bursts of load on a shared machine from
landing on one side only.

Run: ``$(hatch env find hatch-test.py3.11)/bin/python tools/bench/bench_database.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import itertools
import os
import secrets
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import Integer, String, Table, bindparam, insert, select, text, update
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
FREEZE = False  # --gc-freeze


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


def raw_ops(engine: Any, stmts: dict[str, Any], counter: Iterator[int], ids: Iterator[int]) -> Ops:
    """Raw Core create, get, update and find, each in ``engine.begin()``."""

    def create() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["create"], row(next(counter))).one()

    def get() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["get"], {"id": next(ids)}).first()

    def update_() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["update"], {"key": next(ids), "age": next(counter) % 90}).one()

    def find() -> object:
        with engine.begin() as conn:
            return conn.execute(stmts["find"], {"age": 0, "limit": 100}).all()

    return {"create": create, "get": get, "update": update_, "find 100 rows": find}


def araw_ops(
    engine: Any, stmts: dict[str, Any], counter: Iterator[int], ids: Iterator[int]
) -> dict[str, Callable[[], Awaitable[Any]]]:
    """The async twins of :func:`raw_ops`."""

    async def create() -> object:
        async with engine.begin() as conn:
            return (await conn.execute(stmts["create"], row(next(counter)))).one()

    async def get() -> object:
        async with engine.begin() as conn:
            return (await conn.execute(stmts["get"], {"id": next(ids)})).first()

    async def update_() -> object:
        async with engine.begin() as conn:
            params = {"key": next(ids), "age": next(counter) % 90}
            return (await conn.execute(stmts["update"], params)).one()

    async def find() -> object:
        async with engine.begin() as conn:
            return (await conn.execute(stmts["find"], {"age": 0, "limit": 100})).all()

    return {"create": create, "get": get, "update": update_, "find 100 rows": find}


def crud(url: str, number: int, batches: int) -> list[Result]:
    db = Database(url, **POOL)
    # The raw side runs on the very engine tausestack built (create_engine(url, hide_parameters=True,
    # pool_size=5, max_overflow=10)): one pool, so both sides talk to the same server process.
    engine = db.engine
    table: Table = Item.__table__  # type: ignore[assignment]
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [row(n) for n in range(1000)])
    db.find(Item, limit=1)  # everything imported and connected before a --gc-freeze
    if FREEZE:
        gc.collect()
        gc.freeze()
    counter = itertools.count(1)
    ids = itertools.cycle(range(1, 1001))
    cols = list(table.c)
    stmts = raw_statements(table)

    ours: Ops = {
        "create": lambda: db.create(Item, row(next(counter))),
        "get": lambda: db.get(Item, next(ids)),
        "update": lambda: db.update(Item, next(ids), {"age": next(counter) % 90}),
        "find 100 rows": lambda: db.find(Item, where={"age__ge": 0}, order_by="id", limit=100),
    }
    raw = raw_ops(engine, stmts, counter, ids)
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
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    results.append(
        compare(
            "CRUD cycle (sync) vs Core in autocommit (same round trips)",
            ours=ours_cycle,
            raw=_cycle(raw_ops(autocommit, stmts, counter, ids)),
            number=number,
            batches=batches,
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
    engine = db.async_engine  # one pool for both sides, as in crud()
    table: Table = Item.__table__  # type: ignore[assignment]
    counter = itertools.count(10_000_000)
    ids = itertools.cycle(range(1, 1001))
    stmts = raw_statements(table)

    ours: dict[str, Callable[[], Awaitable[Any]]] = {
        "create": lambda: db.acreate(Item, row(next(counter))),
        "get": lambda: db.aget(Item, next(ids)),
        "update": lambda: db.aupdate(Item, next(ids), {"age": next(counter) % 90}),
        "find 100 rows": lambda: db.afind(Item, where={"age__ge": 0}, order_by="id", limit=100),
    }
    raw = araw_ops(engine, stmts, counter, ids)
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
    results.append(
        await acompare(
            "CRUD cycle (async) vs Core in autocommit (same round trips)",
            ours=_acycle(ours),
            raw=_acycle(
                araw_ops(engine.execution_options(isolation_level="AUTOCOMMIT"), stmts, counter, ids)
            ),
            number=number,
            batches=batches,
        )
    )
    await db.aclose()
    return results


def bulk(url: str, rows: int, batches: int) -> Result:
    db = Database(url, **POOL)
    engine = db.engine
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
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after imports: full collections stop rescanning the libraries' objects",
    )
    args = parser.parse_args()
    try:
        name, url = create_database(async_commit=args.async_commit)
        global FREEZE
        FREEZE = args.gc_freeze
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
            f"PostgreSQL{' (synchronous_commit off)' if args.async_commit else ''}"
            f"{', gc.freeze()' if args.gc_freeze else ''}",
        )
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
