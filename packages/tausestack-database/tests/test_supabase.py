"""SupabaseBackend against recorded PostgREST responses.

No PostgREST server can run on this machine, so a local HTTP server replays responses in the
format PostgREST 12 returns them (bodies, status codes, Content-Range and error JSON as
documented by PostgREST) and records the request the client sent, which each test checks:
method, path, query parameters, Prefer header, JSON body.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import BaseModel
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tausestack.core import UnsupportedOperationError
from tausestack.database import Database, IntegrityConflictError, InvalidQueryError, RecordNotFoundError
from tausestack.database.backends.supabase import SupabaseBackend


class Base(DeclarativeBase):
    metadata = MetaData()


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(unique=True)
    age: Mapped[int] = mapped_column(default=0)
    created: Mapped[dt.datetime | None]


class UserOut(BaseModel):
    id: int
    name: str


ADA = {"id": 1, "name": "Ada", "email": "ada@x.io", "age": 36, "created": "2024-05-01T10:00:00+00:00"}


@dataclass
class Exchange:
    """One request as the client sent it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Replay:
    """Queued recorded responses and the requests received."""

    url: str
    responses: list[tuple[int, dict[str, str], Any]] = field(default_factory=list)
    requests: list[Exchange] = field(default_factory=list)

    def respond(self, status: int, body: Any = None, **headers: str) -> None:
        self.responses.append((status, headers, body))

    @property
    def last(self) -> Exchange:
        return self.requests[-1]


@pytest.fixture
def replay() -> Iterator[Replay]:
    state = Replay(url="")

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            state.requests.append(
                Exchange(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    json.loads(raw) if raw else None,
                )
            )
            status, headers, body = (
                state.responses.pop(0) if state.responses else (500, {}, {"message": "no recording"})
            )
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_DELETE = do_HEAD = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/rest/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def backend(replay: Replay) -> Iterator[SupabaseBackend]:
    instance = SupabaseBackend(replay.url, apikey="service-key")
    yield instance
    instance.close()


def test_create_sends_json_and_parses_the_row(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(201, [ADA], Content_Range="*/*")
    user = backend.create(User, {"name": "Ada", "email": "ada@x.io", "age": 36})
    sent = replay.last
    assert (sent.method, sent.path) == ("POST", "/rest/v1/users")
    assert sent.body == {"name": "Ada", "email": "ada@x.io", "age": 36}
    assert sent.headers["apikey"] == "service-key"
    assert sent.headers["authorization"] == "Bearer service-key"
    assert "return=representation" in sent.headers["prefer"]
    assert isinstance(user, User)
    assert (user.id, user.name) == (1, "Ada")
    assert user.created == dt.datetime(2024, 5, 1, 10, tzinfo=dt.timezone.utc)


def test_get_update_delete_by_key(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(200, [ADA])
    assert backend.get(User, 1, schema=UserOut) == UserOut(id=1, name="Ada")
    assert replay.last.query == {"select": ["*"], "id": ["eq.1"], "limit": ["1"]}
    replay.respond(200, [])
    assert backend.get(User, 2) is None

    replay.respond(200, [{**ADA, "age": 37}])
    assert backend.update(User, 1, {"age": 37}).age == 37
    assert (replay.last.method, replay.last.query["id"], replay.last.body) == ("PATCH", ["eq.1"], {"age": 37})
    replay.respond(200, [])
    with pytest.raises(RecordNotFoundError):
        backend.update(User, 9, {"age": 1})

    replay.respond(200, [ADA])
    assert backend.delete(User, 1) is True
    assert (replay.last.method, replay.last.query["id"]) == ("DELETE", ["eq.1"])
    replay.respond(200, [])
    assert backend.delete(User, 1) is False


def test_find_translates_filters_order_and_pagination(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(200, [ADA])
    rows = backend.find(
        User,
        where={"age__gt": 30, "name__in": ["Ada", "Al, Jr."], "email__is_null": False, "created": None},
        order_by=["-age"],
        limit=10,
        offset=20,
    )
    assert [row.name for row in rows] == ["Ada"]
    query = replay.last.query
    assert query["age"] == ["gt.30"]
    assert query["name"] == ['in.(Ada,"Al, Jr.")']
    assert query["email"] == ["not.is.null"]
    assert query["created"] == ["is.null"]
    assert query["order"] == ["age.desc"]
    assert (query["limit"], query["offset"]) == (["10"], ["20"])

    replay.respond(200, [])
    backend.find(User, order_by="-age", after=(30, 5), limit=2)
    assert replay.last.query["or"] == ['(age.lt."30",and(age.eq."30",id.gt."5"))']
    assert replay.last.query["order"] == ["age.desc,id.asc"]


def test_values_cannot_inject_query_parameters(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(200, [])
    backend.find(User, where={"name": "x&select=password,id&or=(id.gt.0)"})
    assert replay.last.query["name"] == ["eq.x&select=password,id&or=(id.gt.0)"]
    assert replay.last.query["select"] == ["*"]
    assert "or" not in replay.last.query
    replay.respond(200, [])
    backend.find(User, order_by="name", after=('a"),id.gt.(0', 1))
    assert replay.last.query["or"] == ['(name.gt."a\\"),id.gt.(0",and(name.eq."a\\"),id.gt.(0",id.gt."1"))']
    with pytest.raises(InvalidQueryError):
        backend.find(User, where={"password": "x"})
    with pytest.raises(InvalidQueryError):
        backend.find(User, order_by="name.desc,password")
    with pytest.raises(InvalidQueryError):
        backend.rpc("transfer;drop")
    assert len(replay.requests) == 2  # refused before any request


def test_count_reads_content_range(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(200, None, Content_Range="0-4/5")
    assert backend.count(User, where={"age__ge": 18}) == 5
    assert replay.last.method == "HEAD"
    assert "count=exact" in replay.last.headers["prefer"]
    assert replay.last.query["age"] == ["gte.18"]


def test_upsert_bulk_and_rpc(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(201, [ADA])
    assert backend.upsert(User, {"email": "ada@x.io", "name": "Ada"}, conflict=["email"]).id == 1
    assert replay.last.query["on_conflict"] == ["email"]
    assert "resolution=merge-duplicates" in replay.last.headers["prefer"]
    with pytest.raises(UnsupportedOperationError):
        backend.upsert(User, {"email": "a", "name": "A", "age": 3}, conflict=["email"], update=["name"])

    replay.respond(201, None)
    assert backend.create_many(User, [{"name": "a"}, {"name": "b"}]) == 2
    assert replay.last.body == [{"name": "a"}, {"name": "b"}]
    assert "return=minimal" in replay.last.headers["prefer"]

    replay.respond(200, {"moved": 10})
    assert backend.rpc("transfer", {"source": 1, "target": 2, "amount": 10}) == {"moved": 10}
    assert (replay.last.method, replay.last.path) == ("POST", "/rest/v1/rpc/transfer")
    assert replay.last.body == {"source": 1, "target": 2, "amount": 10}


def test_postgrest_errors_become_tausestack_errors(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(
        409,
        {
            "code": "23505",
            "details": "Key (email)=(ada@x.io) already exists.",
            "hint": None,
            "message": 'duplicate key value violates unique constraint "users_email_key"',
        },
    )
    with pytest.raises(IntegrityConflictError) as caught:
        backend.create(User, {"name": "Ada", "email": "ada@x.io"})
    assert "ada@x.io" not in str(caught.value)
    replay.respond(
        400, {"code": "42703", "details": None, "hint": None, "message": "column users.x does not exist"}
    )
    with pytest.raises(InvalidQueryError):
        backend.find(User)


def test_no_client_side_transactions_or_raw_sql(backend: SupabaseBackend) -> None:
    with pytest.raises(UnsupportedOperationError, match="rpc"):
        backend.transaction()
    with pytest.raises(UnsupportedOperationError):
        backend.atransaction()
    with pytest.raises(UnsupportedOperationError):
        backend.execute("DELETE FROM users")
    with pytest.raises(UnsupportedOperationError):
        backend.fetch_all("SELECT 1")


def test_through_database_url_health_and_secrets(replay: Replay) -> None:
    port = replay.url.split(":")[2].split("/")[0]
    db = Database(f"supabase://127.0.0.1:{port}?apikey=top-secret-key&secure=false")
    assert "top-secret-key" not in repr(db) + db.describe()
    replay.respond(200, None)
    db.health()
    assert (replay.last.method, replay.last.path) == ("HEAD", "/rest/v1/")
    replay.respond(200, {"ok": True})
    assert db.rpc("ping") == {"ok": True}
    db.close()


@pytest.mark.anyio
async def test_async_twins(replay: Replay, backend: SupabaseBackend) -> None:
    replay.respond(201, [ADA])
    assert (await backend.acreate(User, {"name": "Ada"})).id == 1
    replay.respond(200, [ADA])
    assert [u.id for u in await backend.afind(User, where={"name__like": "A%"})] == [1]
    assert replay.last.query["name"] == ["like.A%"]
    replay.respond(200, None, Content_Range="*/3")
    assert await backend.acount(User) == 3
    replay.respond(200, 7)
    assert await backend.arpc("answer") == 7
    replay.respond(200, None)
    await backend.ahealth()
    await backend.aclose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
