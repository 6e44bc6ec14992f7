"""The real services tests talk to: PostgreSQL, Redis, a moto server, the Firebase Auth emulator."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

import pytest

from tausestack.core.testing._process import ServiceProcess, free_port, port_open

__all__ = [
    "REQUIRE_SERVICES_ENV",
    "services_required",
    "service_missing",
    "PostgresService",
    "RedisService",
    "MotoServer",
    "FirebaseEmulator",
]

REQUIRE_SERVICES_ENV = "TAUSESTACK_TEST_REQUIRE_SERVICES"
POSTGRES_URL_ENV = "TAUSESTACK_TEST_POSTGRES_URL"
REDIS_URL_ENV = "TAUSESTACK_TEST_REDIS_URL"
FIREBASE_BIN_ENV = "TAUSESTACK_TEST_FIREBASE_BIN"

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"


def services_required() -> bool:
    """True under ``TAUSESTACK_TEST_REQUIRE_SERVICES=1``: a missing service is then a failure."""
    return os.environ.get(REQUIRE_SERVICES_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def service_missing(reason: str) -> NoReturn:
    """Skip the test with ``reason``, or fail it when services are required (CI)."""
    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_SERVICES_ENV}=1, so a missing service fails)", pytrace=False)
    pytest.skip(reason)


def _http(method: str, url: str, body: bytes | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - loopback only
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


# -- PostgreSQL ----------------------------------------------------------------------------------


@dataclass
class PostgresService:
    """A throwaway database on the PostgreSQL server, dropped at the end of the run."""

    server_url: str
    database: str
    dsn: str = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.server_url)
        self.dsn = urlunsplit((parts.scheme, parts.netloc, f"/{self.database}", parts.query, ""))

    def url(self, driver: str = "psycopg") -> str:
        """The SQLAlchemy URL of the test database (``postgresql+psycopg://...``)."""
        parts = urlsplit(self.dsn)
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))

    @classmethod
    def create(cls) -> PostgresService:
        server_url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
        try:
            import psycopg
        except ImportError:
            service_missing("psycopg is not installed, so PostgreSQL tests cannot run")
        try:
            admin = psycopg.connect(server_url, autocommit=True, connect_timeout=3)
        except psycopg.Error as exc:
            service_missing(f"PostgreSQL is not reachable at {_hide_password(server_url)}: {exc}")
        name = f"tausestack_test_{os.getpid()}_{secrets.token_hex(3)}"
        with admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return cls(server_url=server_url, database=name)

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


# -- Redis ---------------------------------------------------------------------------------------


@dataclass
class RedisService:
    """One Redis database index for this run, flushed before each test and at the end."""

    server_url: str
    db: int

    @property
    def url(self) -> str:
        return f"{self.server_url.rstrip('/')}/{self.db}"

    @classmethod
    def create(cls) -> RedisService:
        server_url = os.environ.get(REDIS_URL_ENV, DEFAULT_REDIS_URL)
        parts = urlsplit(server_url)
        server_url = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        try:
            import redis
        except ImportError:
            service_missing("redis-py is not installed, so Redis tests cannot run")
        client = redis.Redis.from_url(f"{server_url}/0", socket_connect_timeout=2)
        try:
            client.ping()
            databases = int(client.config_get("databases").get("databases", 16))
        except redis.RedisError as exc:
            service_missing(f"Redis is not reachable at {_hide_password(server_url)}: {exc}")
        finally:
            client.close()
        # Prefer an empty index so a concurrent run on the same server is not disturbed.
        candidates = list(range(1, databases))
        secrets.SystemRandom().shuffle(candidates)
        chosen = candidates[0]
        for index in candidates:
            probe = redis.Redis.from_url(f"{server_url}/{index}", socket_connect_timeout=2)
            try:
                if probe.dbsize() == 0:
                    chosen = index
                    break
            finally:
                probe.close()
        service = cls(server_url=server_url, db=chosen)
        service.flush()
        return service

    def flush(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=2)
        try:
            client.flushdb()
        finally:
            client.close()


# -- moto server ---------------------------------------------------------------------------------


class MotoServer:
    """A ``moto[server]`` process on a free port: real HTTP S3, SES and Secrets Manager.

    ``reset()`` empties every service. Read ``/moto-api/data.json`` only after a reset when
    multipart uploads may exist: moto answers 500 while multipart part objects are alive.
    """

    region = "us-east-1"
    access_key = "testing"
    secret_key = "testing"  # noqa: S105 - moto accepts any credentials

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._process = ServiceProcess(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            name="moto server",
            log_path=workdir / "moto.log",
            env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
        )

    @classmethod
    def start(cls, workdir: Path) -> MotoServer:
        try:
            import moto.server  # noqa: F401
        except ImportError:
            service_missing("moto[server] is not installed, so S3/SES/Secrets Manager tests cannot run")
        server = cls(workdir)
        try:
            server._process.start(ready=server._ready, timeout=60)
        except RuntimeError as exc:
            service_missing(str(exc))
        return server

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def _ready(self) -> bool:
        return _http("GET", f"{self.endpoint_url}/moto-api/")[0] == 200

    def reset(self) -> None:
        status, body = _http("POST", f"{self.endpoint_url}/moto-api/reset")
        if status != 200:
            raise RuntimeError(f"moto reset failed: {status} {body[:200]!r}")

    def get_json(self, path: str) -> Any:
        """GET ``path`` on the server and decode its JSON (``/moto-api/data.json``...)."""
        status, body = _http("GET", f"{self.endpoint_url}{path}")
        if status != 200:
            raise RuntimeError(f"moto GET {path} failed: {status} {body[:200]!r}")
        return json.loads(body)

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` bound to this server."""
        import boto3

        factory: Any = boto3.client
        return factory(
            service,
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def environ(self) -> dict[str, str]:
        """Environment variables that point the AWS SDK at this server."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }

    def stop(self) -> None:
        self._process.stop()


# -- Firebase Auth emulator ----------------------------------------------------------------------


class FirebaseEmulator:
    """The Firebase Auth emulator (``firebase emulators:start --only auth``) on free ports."""

    project_id = "demo-tausestack"

    def __init__(self, binary: Path, workdir: Path) -> None:
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        hub_port, logging_port = free_port(), free_port()
        config = {
            "emulators": {
                "auth": {"host": "127.0.0.1", "port": self.port},
                "hub": {"host": "127.0.0.1", "port": hub_port},
                "logging": {"host": "127.0.0.1", "port": logging_port},
                "ui": {"enabled": False},
                "singleProjectMode": True,
            }
        }
        self.workdir = workdir
        (workdir / "firebase.json").write_text(json.dumps(config))
        env = {
            **os.environ,
            "CI": "true",
            "NO_UPDATE_NOTIFIER": "1",
            "FIREBASE_CLI_EXPERIMENTS": "",
            "HOME": str(workdir),
            "XDG_CONFIG_HOME": str(workdir / ".config"),
        }
        env.pop("FIREBASE_AUTH_EMULATOR_HOST", None)
        self._process = ServiceProcess(
            [str(binary), "emulators:start", "--only", "auth", "--project", self.project_id],
            name="Firebase Auth emulator",
            cwd=workdir,
            env=env,
            log_path=workdir / "firebase.log",
        )

    @staticmethod
    def find_binary(rootdir: Path) -> Path | None:
        """``$TAUSESTACK_TEST_FIREBASE_BIN`` or ``tools/emulators/node_modules/.bin/firebase``."""
        explicit = os.environ.get(FIREBASE_BIN_ENV)
        if explicit:
            return Path(explicit)
        for base in (rootdir, *rootdir.parents):
            candidate = base / "tools" / "emulators" / "node_modules" / ".bin" / "firebase"
            if candidate.exists():
                return candidate
        return None

    @classmethod
    def start(cls, rootdir: Path, workdir: Path) -> FirebaseEmulator:
        binary = cls.find_binary(rootdir)
        if binary is None or not binary.exists():
            service_missing(
                "the Firebase Auth emulator is not installed: run `npm ci --prefix tools/emulators`"
            )
        if shutil.which("node") is None:
            service_missing("Node.js is not installed, so the Firebase Auth emulator cannot run")
        emulator = cls(binary, workdir)
        try:
            emulator._process.start(ready=emulator._ready, timeout=90)
        except RuntimeError as exc:
            service_missing(str(exc))
        return emulator

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    def _ready(self) -> bool:
        return port_open("127.0.0.1", self.port) and _http("GET", self.base_url)[0] == 200

    def clear(self) -> None:
        """Delete every account in the emulator's project."""
        url = f"{self.base_url}/emulator/v1/projects/{self.project_id}/accounts"
        status, body = _http("DELETE", url)
        if status != 200:
            raise RuntimeError(f"clearing emulator accounts failed: {status} {body[:200]!r}")

    def sign_in(self, email: str, password: str) -> dict[str, Any]:
        """Sign in with e-mail and password through the emulator's REST API; returns its JSON."""
        url = (
            f"{self.base_url}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-api-key"
        )
        payload = json.dumps({"email": email, "password": password, "returnSecureToken": True})
        status, body = _http("POST", url, payload.encode())
        if status != 200:
            raise RuntimeError(f"emulator sign-in failed: {status} {body[:300]!r}")
        result: dict[str, Any] = json.loads(body)
        return result

    def stop(self) -> None:
        self._process.stop()


def make_workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"tausestack-{prefix}-"))
