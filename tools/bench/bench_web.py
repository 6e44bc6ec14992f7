"""tausestack-web: an authenticated JSON route, discovery of 200 routers, app start-up.

Run: ``python tools/bench/bench_web.py`` (about 2 min; ``--throughput`` stops after the request
throughput cases, about 70 s). Every server is ``uvicorn`` in its own subprocess (one worker, h11,
no access log, log level WARNING), all started side by side and loaded one at a time by the same
asyncio keep-alive HTTP/1.1 load generator (16 connections, in this process), in interleaved
batches (the order reversed every other batch); ratios are medians. The load generator shares the
CPU with the server, and on a shared 2-core machine other work does too: HTTP figures move by
several percent between runs, so the same route is also measured **in process** (direct ASGI
calls with a prebuilt scope, CPU time of this process, interleaved batches, medians), which is
insensitive to other processes. Cases:

* ``authenticated JSON route``: ``create_app()`` with a discovered router and the default auth
  layer (local backend, RS256) against plain FastAPI with a hand-written PyJWT dependency
  (``HTTPBearer`` + ``jwt.decode`` with the same public key, audience and issuer, in an ``async``
  dependency) on the same route, the same token. Throughput ratio, target >= 0.85.
* the same TauseStack route against the plain FastAPI route with no auth at all (``@app.get``;
  the DESIGN target >= 0.80), against plain FastAPI with the route in an included ``APIRouter``
  (what discovery does: the same routing structure), and against the same TauseStack app with the
  route declared public (``routers.json`` ``disableAuth``): the cost of the auth layer alone.
* in process, also against plain FastAPI + included router + a no-op app-wide ``Depends``: the
  floor of any dependency-based enforcement, so ``ours / floor`` is TauseStack's own cost.
* ``discovery of 200 routers``: ``create_app()`` on 200 ``app/apis/<name>/__init__.py`` modules,
  in a fresh interpreter each time (FastAPI already imported), against a hand-written loader that
  imports the same modules and calls ``include_router`` (Databutton's main.py). Target < 1 s.
* ``app start-up``: from ``uvicorn main:app`` being spawned to ``/healthz`` answering, on the
  embedded defaults (no configuration), against the same for a one-route FastAPI app; and
  TauseStack's own share of it (import ``tausestack.web``, ``create_app()``, the lifespan start-up
  that builds the auth backend), FastAPI and uvicorn already imported. Target < 1.5 s.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

_Api = TypeVar("_Api", "FastAPI", "APIRouter")

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

CONNECTIONS = 16
SECONDS = 1.5
BATCHES = 7
RUNS = 5
ROUTERS = 200

ROUTE = """
@router.get("/items")
async def items() -> dict:
    return {"items": [{"id": i, "name": f"item {i}"} for i in range(10)]}
"""

TAUSESTACK_MAIN = "from tausestack.web import create_app\n\napp = create_app()\n"
TAUSESTACK_API = "from fastapi import APIRouter\n\nrouter = APIRouter()\n" + ROUTE

PYJWT_MAIN = """
import os

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

PUBLIC_KEY = open(os.environ["BENCH_PUBLIC_KEY"]).read()
bearer = HTTPBearer()
app = FastAPI()


async def current_user(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> dict:
    try:
        return jwt.decode(
            credentials.credentials, PUBLIC_KEY, algorithms=["RS256"], audience="tausestack", issuer="tausestack:local"
        )
    except jwt.PyJWTError:
        raise HTTPException(401, "invalid token") from None


@app.get("/api/items")
async def items(user: dict = Depends(current_user)) -> dict:
    return {"items": [{"id": i, "name": f"item {i}"} for i in range(10)]}
"""

PLAIN_MAIN = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/api/items")
async def items() -> dict:
    return {"items": [{"id": i, "name": f"item {i}"} for i in range(10)]}


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}
"""

INCLUDED_MAIN = """
from fastapi import APIRouter, FastAPI

app = FastAPI()
router = APIRouter()


@router.get("/items")
async def items() -> dict:
    return {"items": [{"id": i, "name": f"item {i}"} for i in range(10)]}


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


app.include_router(router, prefix="/api")
"""

HAND_LOADER = """
import importlib, pathlib, sys, time
from fastapi import APIRouter, FastAPI
sys.path.insert(0, ".")
start = time.perf_counter()
app = FastAPI()
routes = APIRouter(prefix="/api")
for path in sorted(pathlib.Path("app/apis").glob("*/__init__.py")):
    module = importlib.import_module(f"app.apis.{path.parent.name}")
    routes.include_router(module.router)
app.include_router(routes)
print(time.perf_counter() - start)
"""

OURS_LOADER = """
import sys, time
import fastapi
from tausestack.web import create_app
import tausestack.web._app, tausestack.auth  # imported before timing, as the loader imports FastAPI
start = time.perf_counter()
app = create_app()
print(time.perf_counter() - start)
"""


OWN_SHARE = """
import asyncio, time
import fastapi, uvicorn  # the server's own imports are not TauseStack's share
start = time.perf_counter()
from tausestack.web import create_app
app = create_app()


async def started() -> float:
    context = app.router.lifespan_context(app)
    await context.__aenter__()
    elapsed = time.perf_counter() - start
    await context.__aexit__(None, None, None)
    return elapsed


print(asyncio.run(started()))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("TAUSESTACK_")}
    env.update({"TAUSESTACK_WEB_LOG_LEVEL": "WARNING", **extra})
    return env


def _free_port() -> int:
    from tausestack.core.testing import free_port

    return free_port()


class Server:
    def __init__(self, name: str, directory: Path, env: dict[str, str]) -> None:
        self.name = name
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "main:app", "--port", str(self.port), "--log-level", "warning",
             "--no-access-log", "--http", "h11"],
            cwd=directory, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip

    def wait(self, path: str = "/healthz", timeout: float = 60) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=1).status_code < 500:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.005)
        raise RuntimeError(f"{self.name} did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(10)


_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


async def _connection(port: int, request: bytes, deadline: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            match = _LENGTH.search(head)
            await reader.readexactly(int(match.group(1)) if match else 0)
            counts[0 if head[9:12] == b"200" else 1] += 1
    finally:
        writer.close()


async def _load(port: int, request: bytes, seconds: float) -> float:
    counts = [0, 0]
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_connection(port, request, deadline, counts) for _ in range(CONNECTIONS)))
    elapsed = time.perf_counter() - started
    if counts[1]:
        raise RuntimeError(f"{counts[1]} non-200 answers on port {port}")
    return counts[0] / elapsed


def _request(path: str, token: str | None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def throughput(work: Path) -> list[tuple[str, float, float, float | None]]:
    from argon2 import PasswordHasher

    from tausestack.auth.backends.local import LocalAuthBackend

    ours_dir = work / "ours"
    (ours_dir / "app" / "apis" / "items").mkdir(parents=True)
    (ours_dir / "main.py").write_text(TAUSESTACK_MAIN)
    (ours_dir / "app" / "apis" / "items" / "__init__.py").write_text(TAUSESTACK_API)
    auth_dir = ours_dir / ".tausestack"
    backend = LocalAuthBackend(
        directory=auth_dir, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024)
    )
    backend.create_user("bench@example.com", "correct horse battery")
    token = backend.sign_in("bench@example.com", "correct horse battery").access_token
    public_key = work / "public.pem"
    from cryptography.hazmat.primitives import serialization

    public_key.write_bytes(
        backend.signing_key.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    backend.close()
    for name, text in (("pyjwt", PYJWT_MAIN), ("plain", PLAIN_MAIN), ("included", INCLUDED_MAIN)):
        (work / name).mkdir()
        (work / name / "main.py").write_text(textwrap.dedent(text))

    public_dir = work / "ours-public"
    shutil.copytree(ours_dir / "app", public_dir / "app")
    (public_dir / "main.py").write_text(TAUSESTACK_MAIN)
    (public_dir / "routers.json").write_text('{"routers": {"items": {"disableAuth": true}}}')
    servers = {
        "ours": Server("tausestack", ours_dir, _env(TAUSESTACK_AUTH_URL=f"local://{auth_dir}")),
        "public": Server("tausestack public", public_dir, _env(TAUSESTACK_AUTH_URL=f"local://{auth_dir}")),
        "pyjwt": Server("fastapi+pyjwt", work / "pyjwt", _env(BENCH_PUBLIC_KEY=str(public_key))),
        "plain": Server("fastapi", work / "plain", _env()),
        "included": Server("fastapi, included router", work / "included", _env()),
    }
    try:
        for server in servers.values():
            server.wait("/healthz" if server is not servers["pyjwt"] else "/docs")
        requests = {"ours": _request("/api/items", token), "pyjwt": _request("/api/items", token),
                    "plain": _request("/api/items", None), "public": _request("/api/items", None),
                    "included": _request("/api/items", None)}  # fmt: skip
        rates: dict[str, list[float]] = {name: [] for name in servers}
        for name in servers:  # warm up
            asyncio.run(_load(servers[name].port, requests[name], 0.5))
        order = list(servers)
        for batch in range(BATCHES):
            for name in order if batch % 2 == 0 else reversed(order):
                rates[name].append(asyncio.run(_load(servers[name].port, requests[name], SECONDS)))
    finally:
        for server in servers.values():
            server.stop()
    ours = statistics.median(rates["ours"])
    pyjwt = statistics.median(rates["pyjwt"])
    plain = statistics.median(rates["plain"])
    public = statistics.median(rates["public"])
    included = statistics.median(rates["included"])
    return [
        ("authenticated JSON route vs FastAPI + hand-written PyJWT dependency", ours, pyjwt, 0.85),
        ("authenticated JSON route vs the same route in plain FastAPI, no auth", ours, plain, 0.80),
        ("authenticated JSON route vs plain FastAPI, route in an included APIRouter", ours, included, None),
        ("authenticated JSON route vs the same TauseStack route declared public", ours, public, 0.80),
    ]


IN_PROCESS_BATCHES = 11
IN_PROCESS_REQUESTS = 2000


def _items_route(api: _Api) -> _Api:
    @api.get("/api/items")
    async def items() -> dict[str, Any]:
        return {"items": [{"id": i, "name": f"item {i}"} for i in range(10)]}

    return api


async def _noop_dependency(connection: HTTPConnection) -> None:
    return None


def _scope(token: str | None) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": "/api/items", "raw_path": b"/api/items", "root_path": "", "query_string": b"", "headers": headers,
        "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
    }  # fmt: skip


async def _asgi_loop(app: Any, token: str | None, count: int) -> float:
    """CPU microseconds per request of ``count`` direct ASGI calls (a prebuilt scope each time)."""
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.process_time()
    for _ in range(count):
        await app(_scope(token), receive, send)
    elapsed = time.process_time() - started
    if set(statuses) != {200}:
        raise RuntimeError(f"unexpected statuses {sorted(set(statuses))}")
    return elapsed / count * 1e6


def in_process(work: Path) -> list[tuple[str, float, float, float | None]]:
    """The same route served by direct ASGI calls, in CPU time (robust to a shared machine)."""
    from fastapi import APIRouter, Depends, FastAPI

    from tausestack.auth.backends.local import LocalAuthBackend
    from tausestack.web import WebSettings, create_app
    from tausestack.web import router as make_router

    backend = LocalAuthBackend(directory=work / "in-process-auth")
    backend.create_user("bench@example.com", "correct horse battery")
    token = backend.sign_in("bench@example.com", "correct horse battery").access_token
    settings = WebSettings(log_level="WARNING")

    plain = _items_route(FastAPI())
    included = FastAPI()
    included.include_router(_items_route(APIRouter()))
    floor = FastAPI(dependencies=[Depends(_noop_dependency)])
    floor.include_router(_items_route(APIRouter()))
    ours = create_app(settings, discover=False, auth_backend=backend)
    ours.include_router(_items_route(APIRouter()))  # what discovery does with app/apis/items
    public = create_app(settings, discover=False, auth_backend=backend)
    public.include_router(_items_route(make_router(auth_required=False)))
    cases: dict[str, tuple[Any, str | None]] = {
        "ours": (ours, token), "plain": (plain, None), "included": (included, None),
        "floor": (floor, None), "public": (public, None),
    }  # fmt: skip
    timings: dict[str, list[float]] = {name: [] for name in cases}

    async def run() -> None:
        for app, app_token in cases.values():  # warm up (and fill the verified-token cache)
            await _asgi_loop(app, app_token, 300)
        order = list(cases)
        for batch in range(IN_PROCESS_BATCHES):
            for name in order if batch % 2 == 0 else reversed(order):
                timings[name].append(await _asgi_loop(*cases[name], IN_PROCESS_REQUESTS))

    try:
        asyncio.run(run())
    finally:
        backend.close()
    us = {name: statistics.median(values) for name, values in timings.items()}
    # Rates are 1/time, so the throughput ratio is raw time / ours time.
    return [
        (
            "  in-process: vs the same route in plain FastAPI, no auth (@app.get)",
            us["ours"],
            us["plain"],
            0.80,
        ),
        ("  in-process: vs plain FastAPI, route in an included APIRouter", us["ours"], us["included"], None),
        (
            "  in-process: vs that + a no-op app-wide dependency (any Depends auth)",
            us["ours"],
            us["floor"],
            None,
        ),
        ("  in-process: vs the same TauseStack route declared public", us["ours"], us["public"], 0.80),
    ]


def _timed(code: str, cwd: Path, env: dict[str, str]) -> float:
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout
    return float(output.strip().splitlines()[-1])


def discovery(work: Path) -> tuple[float, float]:
    project = work / "discovery"
    for index in range(ROUTERS):
        package = project / "app" / "apis" / f"api_{index:03d}"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
            f'@router.get("/r{index}/items")\nasync def items_{index}() -> list[int]:\n    return [1]\n\n'
            f'@router.post("/r{index}/items")\nasync def create_{index}(value: int) -> int:\n    return value\n'
        )
    env = _env(TAUSESTACK_WEB_CONFIGURE_LOGGING="false")
    ours: list[float] = []
    raw: list[float] = []
    for run in range(RUNS):
        pair = [(ours, OURS_LOADER), (raw, HAND_LOADER)]
        for target, code in pair if run % 2 == 0 else reversed(pair):
            shutil.rmtree(project / "app" / "apis" / "__pycache__", ignore_errors=True)
            target.append(_timed(code, project, env))
    return statistics.median(ours), statistics.median(raw)


def own_share(work: Path) -> float:
    project = work / "startup"
    return statistics.median(_timed(OWN_SHARE, project, _env()) for _ in range(RUNS))


def startup(work: Path) -> tuple[float, float]:
    project = work / "startup"
    (project / "app" / "apis" / "items").mkdir(parents=True)
    (project / "main.py").write_text(TAUSESTACK_MAIN)
    (project / "app" / "apis" / "items" / "__init__.py").write_text(TAUSESTACK_API)
    plain = work / "plain"
    first = Server("first start", project, _env())
    try:
        first.wait()  # the very first start generates the project's signing key
    finally:
        first.stop()
    ours: list[float] = []
    raw: list[float] = []
    for run in range(RUNS):
        pair = [(ours, project), (raw, plain)]
        for target, directory in pair if run % 2 == 0 else reversed(pair):
            server = Server("start-up", directory, _env())
            try:
                target.append(server.wait())
            finally:
                server.stop()
    return statistics.median(ours), statistics.median(raw)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(
            f"{os.cpu_count()} CPUs, load average {load} (HTTP figures move with other work; in-process ones less)"
        )
        rows = throughput(work)
        print(f"{'case':<72} {'ours':>10} {'raw':>10} {'ratio':>7}  target")
        for name, ours, raw, target in rows:
            ratio = ours / raw
            verdict = (
                "" if target is None else f">= {target} " + ("ok" if ratio >= target else "UNDER TARGET")
            )
            print(f"{name:<72} {ours:>8.0f}/s {raw:>8.0f}/s {ratio:>7.2f}  {verdict}")
        print(f"{'(per request, CPU time of direct ASGI calls, median of interleaved batches)':<72}")
        for name, ours_us, raw_us, in_target in in_process(work):
            ratio = raw_us / ours_us
            verdict = (
                "" if in_target is None else f">= {in_target} " + ("ok" if ratio >= in_target else "UNDER")
            )
            print(f"{name:<72} {ours_us:>7.1f}us {raw_us:>8.1f}us {ratio:>7.2f}  {verdict}")
        if "--throughput" in sys.argv:
            return
        ours_discovery, raw_discovery = discovery(work)
        verdict = "ok" if ours_discovery < 1.0 else "OVER TARGET"
        print(
            f"{'discovery of 200 routers (create_app vs hand-written loader)':<72} {ours_discovery * 1000:>8.0f}ms "
            f"{raw_discovery * 1000:>8.0f}ms {ours_discovery / raw_discovery:>7.2f}  < 1 s {verdict}"
        )
        ours_start, raw_start = startup(work)
        verdict = "ok" if ours_start < 1.5 else "OVER TARGET"
        print(
            f"{'app start-up to first answer (uvicorn, embedded defaults vs plain FastAPI)':<72} "
            f"{ours_start * 1000:>8.0f}ms {raw_start * 1000:>8.0f}ms {ours_start / raw_start:>7.2f}  < 1.5 s {verdict}"
        )
        share = own_share(work)
        verdict = "ok" if share < 1.5 else "OVER TARGET"
        print(
            f"{'  of which import tausestack.web + create_app() + lifespan start-up':<72} {share * 1000:>8.0f}ms "
            f"{'':>10} {'':>7}  < 1.5 s {verdict}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
