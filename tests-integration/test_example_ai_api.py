"""The example AI API (examples/ai-api): its own tests, the `hatch run demo` command, and the same
app unchanged on PostgreSQL + Redis + S3 (moto) + SES (moto) + Firebase (emulator) with 2 workers.

Each test serves a copy of the example from a temp directory (the demo writes its embedded data
under the project directory) through the command `hatch run demo` runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tausestack.core.testing import ServiceProcess, free_port

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ai-api"
REVIEW = (
    "TauseStack is great. Setup was easy and the docs are clear. "
    "The storage layer is fast and reliable. One bug was annoying, but support fixed it quickly."
)


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "ai-api"
    shutil.copytree(
        EXAMPLE, target, ignore=shutil.ignore_patterns(".tausestack", "__pycache__", ".pytest_cache")
    )
    return target


def call(
    method: str,
    url: str,
    *,
    json_body: Any = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, body


def healthy(url: str) -> bool:
    try:
        return call("GET", url)[0] == 200
    except OSError:
        return False


def demo_server(
    project: Path, log: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[ServiceProcess, str]:
    """The command of `hatch run demo` (python -m tausestack.cli run --app-dir ... --no-reload) on a free port."""
    port = free_port()
    server = ServiceProcess(
        [
            sys.executable,
            "-m",
            "tausestack.cli",
            "run",
            "--app-dir",
            str(project),
            "--no-reload",
            "--port",
            str(port),
            *extra,
        ],
        name="ai-api demo",
        cwd=project.parent,
        env=env,
        log_path=log,
    )
    base = f"http://127.0.0.1:{port}"
    server.start(ready=lambda: healthy(f"{base}/healthz"), timeout=90)
    return server, base


def exercise(base: str, headers: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Upload, analyse twice, read the history: what the demo's welcome text tells users to do."""
    status, document = call(
        "POST",
        f"{base}/api/documents?filename=review.txt",
        data=REVIEW.encode(),
        headers={**headers, "Content-Type": "text/plain"},
    )
    assert status == 201, document
    first_status, first = call("POST", f"{base}/api/documents/{document['id']}/analyses", headers=headers)
    assert first_status == 201, first
    assert first["sentiment_label"] == "positive"
    assert first["provider"] == "offline"
    second = call("POST", f"{base}/api/documents/{document['id']}/analyses", headers=headers)[1]
    assert second["cached"] is True
    status, history = call("GET", f"{base}/api/documents/{document['id']}/analyses", headers=headers)
    assert status == 200
    assert [item["id"] for item in history] == [second["id"], first["id"]]
    return document, history


def test_example_own_tests_pass(tmp_path: Path) -> None:
    project = copy_example(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "failed" not in result.stdout


def test_demo_on_embedded_defaults(tmp_path: Path) -> None:
    project = copy_example(tmp_path)
    log = tmp_path / "demo.log"
    server, base = demo_server(project, log)
    try:
        status, tokens = call(
            "POST",
            f"{base}/api/account/signup",
            json_body={"email": "ada@example.com", "password": "correct horse battery"},
        )
        assert status == 201, tokens
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        exercise(base, headers)
        assert call("GET", f"{base}/docs")[0] == 200
        assert call("GET", f"{base}/readyz")[0] == 200
        assert call("GET", f"{base}/api/documents")[0] == 401
    finally:
        server.stop()
    output = log.read_text()
    # how the app was found, every module's backend, and how to try it
    assert "App main:app" in output
    for backend in (
        "file://.tausestack/storage",
        "sqlite:///.tausestack/app.db",
        "memory://",
        "console://",
        "local://",
        "env://",
    ):
        assert backend in output, backend
    assert f"{base}/api/account/signup" in output
    assert f"{base}/docs" in output
    # the console e-mail backend printed the notification
    assert "Your analysis of review.txt is ready" in output
    assert (project / ".tausestack" / "app.db").is_file()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.moto
@pytest.mark.firebase
def test_same_app_on_real_services_with_two_workers(
    tmp_path: Path, postgres: Any, redis_url: str, moto: Any, firebase_emulator: Any
) -> None:
    """PostgreSQL + Redis + S3 + SES + Secrets Manager (moto) + Firebase Auth (emulator), by environment only."""
    project = copy_example(tmp_path)
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="ai-api-docs")
    moto.client("ses").verify_email_identity(EmailAddress="ai-api@example.com")
    # configuration through secrets: the database URL lives in Secrets Manager
    moto.client("secretsmanager").create_secret(
        Name="ai-api/DATABASE_URL", SecretString=postgres.url(driver="psycopg")
    )
    env = {
        **os.environ,
        "TAUSESTACK_SECRETS_URL": "aws-secrets://?prefix=ai-api/",
        "TAUSESTACK_DATABASE_URL": "secret:DATABASE_URL",
        "TAUSESTACK_CACHE_URL": redis_url,
        "TAUSESTACK_STORAGE_URL": "s3://ai-api-docs/app",
        "TAUSESTACK_NOTIFY_URL": f"ses://?region={moto.region}",
        "TAUSESTACK_AUTH_URL": f"firebase://{firebase_emulator.project_id}",
        "AIAPI_AUTO_MIGRATE": "false",
    }
    migrate = subprocess.run(
        [sys.executable, "-m", "tausestack.cli", "db", "upgrade", "--app-dir", str(project)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    # a Firebase user, signed in through the emulator's REST API
    signup = urllib.request.Request(
        f"{firebase_emulator.base_url}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-api-key",
        data=json.dumps(
            {"email": "ada@example.com", "password": "correct horse battery", "returnSecureToken": True}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(signup, timeout=10).close()
    signed_in = firebase_emulator.sign_in("ada@example.com", "correct horse battery")
    id_token = signed_in["idToken"]
    headers = {"Authorization": f"Bearer {id_token}"}

    log = tmp_path / "demo.log"
    server, base = demo_server(project, log, "--workers", "2", env=env)
    try:
        document, history = exercise(base, headers)
        me = call("GET", f"{base}/api/account/me", headers=headers)[1]
        assert me["email"] == "ada@example.com"
        assert me["uid"] == signed_in["localId"]  # the Firebase user, verified by the firebase backend
        # local sign-up is not offered on Firebase: a clear 501, not a crash
        assert (
            call(
                "POST",
                f"{base}/api/account/signup",
                json_body={"email": "x@example.com", "password": "12345678aa"},
            )[0]
            == 501
        )
        for _ in range(6):  # spread over both workers: every answer is the same
            status, listed = call("GET", f"{base}/api/documents", headers=headers)
            assert status == 200
            assert [item["id"] for item in listed] == [document["id"]]
        assert call("GET", f"{base}/readyz")[0] == 200
    finally:
        server.stop()
    output = log.read_text()
    assert "workers=2" in output
    assert "s3://ai-api-docs/app" in output
    assert f"firebase://{firebase_emulator.project_id}" in output
    # the data is where the environment said
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="ai-api-docs").get("Contents", [])]
    assert any(key.endswith("/original") for key in keys), keys
    assert any("sentences" in key for key in keys), keys
    assert moto.client("ses").get_send_quota()["SentLast24Hours"] == 2
    import psycopg
    import redis

    with psycopg.connect(postgres.dsn) as connection:
        rows = connection.execute("SELECT count(*) FROM aiapi_analyses").fetchone()
    assert rows is not None
    assert rows[0] == len(history) == 2
    assert redis.Redis.from_url(redis_url).dbsize() >= 1
