"""``tausestack init`` → the generated project's own tests pass → ``tausestack run`` serves it.

Real subprocesses: the CLI as a user runs it, pytest in the generated project (this environment's
Python, PYTHONPATH set to the project), and uvicorn answering HTTP on a free port.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tausestack.core.testing import ServiceProcess, free_port, wait_until

pytestmark = pytest.mark.slow


def cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tausestack.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def healthy(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False


@pytest.mark.parametrize("template", ["api", "minimal"])
def test_generated_project_tests_pass(tmp_path: Path, template: str) -> None:
    result = cli("init", "shop", "--template", template, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "shop"
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout
    assert "failed" not in tests.stdout


def test_run_serves_the_generated_project(tmp_path: Path) -> None:
    assert cli("init", "shop", cwd=tmp_path).returncode == 0
    project = tmp_path / "shop"
    port = free_port()
    log = tmp_path / "run.log"
    server = ServiceProcess(
        [
            sys.executable,
            "-m",
            "tausestack.cli",
            "run",
            "--app-dir",
            str(project),
            "--port",
            str(port),
            "--no-reload",
        ],
        name="tausestack run",
        cwd=tmp_path,
        log_path=log,
    )
    base = f"http://127.0.0.1:{port}"
    server.start(ready=lambda: healthy(f"{base}/healthz"), timeout=60)
    try:
        status, body = get(f"{base}/api/hello?name=you")
        assert (status, json.loads(body)) == (200, {"message": "Hello, you!"})
        with pytest.raises(urllib.error.HTTPError) as denied:
            get(f"{base}/api/notes")
        assert denied.value.code == 401
        assert get(f"{base}/docs")[0] == 200
        assert get(f"{base}/readyz")[0] == 200  # every backend's health(): they are built now
    finally:
        server.stop()
    output = log.read_text()
    assert "App main:app" in output
    assert "[tool.tausestack] app" in output
    assert "storage" in output
    assert "file://.tausestack/storage" in output
    assert "auth" in output
    assert "local://" in output
    assert f"http://127.0.0.1:{port}" in output
    # the embedded defaults live in the project, not where the command was started
    assert (project / ".tausestack").is_dir()
    assert not (tmp_path / ".tausestack").exists()


def test_run_finds_an_apis_only_project_with_reload(tmp_path: Path) -> None:
    """A Databutton-style project (app/apis only, no main.py) served by tausestack.web, reload on."""
    api = tmp_path / "legacy" / "app" / "apis" / "ping"
    api.mkdir(parents=True)
    (api / "__init__.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/ping')\ndef ping():\n    return 'pong'\n"
    )
    (tmp_path / "legacy" / "routers.json").write_text(
        json.dumps({"routers": {"ping": {"disableAuth": True}}})
    )
    port = free_port()
    server = ServiceProcess(
        [sys.executable, "-m", "tausestack.cli", "run", "--port", str(port), "--reload"],
        name="tausestack run --reload",
        cwd=tmp_path / "legacy",
        log_path=tmp_path / "run.log",
    )
    base = f"http://127.0.0.1:{port}"
    server.start(ready=lambda: healthy(f"{base}/healthz"), timeout=60)
    try:
        assert json.loads(get(f"{base}/api/ping")[1]) == "pong"
    finally:
        server.stop()
    assert "tausestack.web:create_app (factory)" in (tmp_path / "run.log").read_text()


def test_smoke_one_liner(tmp_path: Path) -> None:
    """`tausestack --help` through the module and an `init` into a temp dir, as the wheel smoke test does."""
    assert "Usage" in cli("--help", cwd=tmp_path).stdout
    assert cli("init", "demo", cwd=tmp_path).returncode == 0
    assert wait_until(lambda: (tmp_path / "demo" / "main.py").is_file(), timeout=1)
