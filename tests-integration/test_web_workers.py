"""Two uvicorn workers sharing PostgreSQL (users, notes) and Redis (counters) behave exactly as one.

Each run starts ``uvicorn main:app`` as a subprocess (stopped by its PID), plays the same script
over real HTTP with a new connection per request, and compares the answers (the worker PID aside).
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tausestack.core.testing import ServiceProcess, free_port

MAIN = """
from tausestack.web import create_app

app = create_app()
"""

API = """
import os

from pydantic import BaseModel

from tausestack import cache
from tausestack.auth import AuthorizedUser
from tausestack.database import get_database
from tausestack.web import router as make_router

router = make_router(tags=["shared"])


class Note(BaseModel):
    text: str


@router.get("/whoami")
async def whoami(user: AuthorizedUser) -> dict:
    return {"email": user.email, "pid": os.getpid()}


@router.post("/hits")
async def hit(user: AuthorizedUser) -> dict:
    return {"hits": await cache.aincr(f"hits:{user.uid}"), "pid": os.getpid()}


@router.post("/notes")
async def add_note(note: Note, user: AuthorizedUser) -> dict:
    db = get_database()
    await db.aexecute("INSERT INTO web_notes (owner, text) VALUES (:owner, :text)", {"owner": user.uid, "text": note.text})
    rows = await db.afetch_all("SELECT text FROM web_notes WHERE owner = :owner ORDER BY id", {"owner": user.uid})
    return {"notes": [row["text"] for row in rows], "pid": os.getpid()}


@router.get("/admin", roles=["admin"])
async def admin() -> dict:
    return {"admin": True, "pid": os.getpid()}
"""


def _serve(project: Path, env: dict[str, str], workers: int, log: Path) -> tuple[ServiceProcess, str]:
    port = free_port()
    process = ServiceProcess(
        [sys.executable, "-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        name=f"uvicorn x{workers}",
        cwd=project,
        env=env,
        log_path=log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200

    process.start(ready=ready, timeout=60)
    return process, url


def _play(url: str, tokens: dict[str, str], revoke: Any) -> tuple[list[tuple[int, Any]], set[int]]:
    answers: list[tuple[int, Any]] = []
    pids: set[int] = set()

    def call(method: str, path: str, who: str | None = None, **options: Any) -> None:
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        response = httpx.request(
            method, f"{url}{path}", headers=headers, timeout=10, **options
        )  # new connection
        body = response.json()
        if isinstance(body, dict) and "pid" in body:
            pids.add(body.pop("pid"))
        body.pop("request_id", None) if isinstance(body, dict) else None
        answers.append((response.status_code, body))

    call("GET", "/api/whoami")
    for _ in range(8):
        call("GET", "/api/whoami", "ada")
    for _ in range(8):
        call("POST", "/api/hits", "ada")
    call("POST", "/api/hits", "root")
    for index in range(4):
        call("POST", "/api/notes", "ada", json={"text": f"note {index}"})
    call("GET", "/api/admin", "ada")
    call("GET", "/api/admin", "root")
    call("GET", "/api/whoami", "eve")
    revoke()
    for _ in range(4):
        call("GET", "/api/whoami", "eve")
    extra = 0
    while len(pids) < 2 and extra < 60:  # keep asking until the kernel has given both workers a connection
        response = httpx.get(
            f"{url}/api/whoami", headers={"Authorization": f"Bearer {tokens['ada']}"}, timeout=10
        )
        pids.add(response.json()["pid"])
        extra += 1
    return answers, pids


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_two_workers_behave_like_one(tmp_path: Path, postgres_url: str, redis_url: str) -> None:
    import redis
    import sqlalchemy

    from tausestack.auth import create_backend
    from tausestack.web.testing import sign_in

    project = tmp_path / "project"
    (project / "app" / "apis" / "shared").mkdir(parents=True)
    (project / "main.py").write_text(textwrap.dedent(MAIN).lstrip())
    (project / "app" / "apis" / "shared" / "__init__.py").write_text(textwrap.dedent(API).lstrip())
    auth_url = f"local://{project / '.tausestack'}?algorithm=ES256&user_cache=0&database={quote(postgres_url, safe='')}"
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("TAUSESTACK_")},
        "TAUSESTACK_AUTH_URL": auth_url,
        "TAUSESTACK_DATABASE_URL": postgres_url,
        "TAUSESTACK_CACHE_URL": redis_url,
        "TAUSESTACK_WEB_LOG_LEVEL": "WARNING",
    }
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS web_notes")
        connection.exec_driver_sql("CREATE TABLE web_notes (id serial PRIMARY KEY, owner text, text text)")
    backend = create_backend(auth_url)  # creates the user tables and the signing key both workers load
    redis_client = redis.Redis.from_url(redis_url)

    results = {}
    try:
        for workers in (1, 2):
            with engine.begin() as connection:
                connection.exec_driver_sql("TRUNCATE web_notes")
            redis_client.flushdb()
            tokens = {
                "ada": sign_in("ada@example.com", backend=backend).access_token,
                "root": sign_in("root@example.com", roles=["admin"], backend=backend).access_token,
                "eve": sign_in("eve@example.com", backend=backend).access_token,
            }

            def revoke() -> None:
                backend.revoke_tokens(backend.get_user_by_email("eve@example.com").uid)

            process, url = _serve(project, env, workers, tmp_path / f"uvicorn-{workers}.log")
            try:
                results[workers] = _play(url, tokens, revoke)
            finally:
                process.stop()
    finally:
        backend.close()
        redis_client.close()
        engine.dispose()

    one, one_pids = results[1]
    two, two_pids = results[2]
    assert len(one_pids) == 1
    assert len(two_pids) == 2, "both workers served requests"
    assert one == two
    statuses = [status for status, _ in one]
    assert statuses[0] == 401
    assert [body["hits"] for _, body in one[9:17]] == list(range(1, 9))
    assert one[17][1]["hits"] == 1
    assert one[21][1]["notes"] == ["note 0", "note 1", "note 2", "note 3"]
    assert statuses[22:25] == [403, 200, 200]
    assert statuses[25:] == [401, 401, 401, 401]
