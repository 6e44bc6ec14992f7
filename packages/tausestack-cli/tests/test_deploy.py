"""``tausestack deploy``: docker (no engine here), lambda (handler invoked), ecs (task definition)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tausestack.cli._app import app
from tausestack.cli._deploy_docker import docker_engine

MAIN = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.post("/echo/{word}")
def echo(word: str, body: dict):
    return {"word": word, "body": body}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    directory = tmp_path / "shop"
    directory.mkdir()
    (directory / "main.py").write_text(MAIN)
    (directory / "pyproject.toml").write_text(
        '[project]\nname = "shop"\nversion = "0.1.0"\ndependencies = ["tausestack-web>=0.1,<0.2"]\n'
    )
    return directory


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["deploy", *args])
    return result.exit_code, result.output + result.stderr


def test_dry_run_writes_nothing(runner: CliRunner, project: Path) -> None:
    before = sorted(p.name for p in project.iterdir())
    for target in ("docker", "lambda", "ecs"):
        code, output = invoke(runner, "--target", target, "--app-dir", str(project), "--dry-run")
        assert code == 0, output
        assert "Dry run" in output
        assert "would write" in output
    assert sorted(p.name for p in project.iterdir()) == before


@pytest.mark.skipif(
    docker_engine() is None, reason="a Docker engine is reachable here; this checks the no-engine path"
)
def test_docker_without_an_engine_writes_the_files_and_says_so(runner: CliRunner, project: Path) -> None:
    code, output = invoke(runner, "--target", "docker", "--app-dir", str(project))
    assert code == 0, output
    assert "Not building the image" in output
    assert "docker build -t shop:latest ." in output
    assert "tausestack run --host 0.0.0.0" in (project / "Dockerfile").read_text()
    compose = (project / "compose.yaml").read_text()
    assert "image: shop:latest" in compose
    assert ".tausestack" in (project / ".dockerignore").read_text()


def test_existing_files_are_kept_unless_forced(runner: CliRunner, project: Path) -> None:
    (project / "Dockerfile").write_text("FROM mine\n")
    code, output = invoke(runner, "--target", "docker", "--app-dir", str(project), "--no-build")
    assert code == 0
    assert "kept existing" in output
    assert (project / "Dockerfile").read_text() == "FROM mine\n"
    code, output = invoke(runner, "--target", "docker", "--app-dir", str(project), "--no-build", "--force")
    assert code == 0
    assert (project / "Dockerfile").read_text() != "FROM mine\n"


def http_v2_event(method: str, path: str, body: str = "") -> dict[str, object]:
    """A synthetic API Gateway HTTP API (payload format 2.0) event."""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "abc.execute-api.us-east-1.amazonaws.com", "content-type": "application/json"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc",
            "domainName": "abc.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.1",
                "userAgent": "test",
            },
            "requestId": "id",
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 1767225600000,
        },
        "body": body,
        "isBase64Encoded": False,
    }


def invoke_handler(project: Path, event: dict[str, object]) -> dict[str, object]:
    code = (
        "import json, sys, lambda_handler\n"
        "event = json.loads(sys.stdin.read())\n"
        "print(json.dumps(lambda_handler.handler(event, None)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(event),
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    response: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return response


def test_lambda_handler_serves_an_api_gateway_event(runner: CliRunner, project: Path) -> None:
    code, output = invoke(runner, "--target", "lambda", "--app-dir", str(project))
    assert code == 0, output
    assert "from main import app as app" in (project / "lambda_handler.py").read_text()
    assert "mangum" in (project / "requirements.txt").read_text()
    assert "Handler: lambda_handler.handler" in (project / "template.yaml").read_text()
    response = invoke_handler(project, http_v2_event("GET", "/healthz"))
    assert response["statusCode"] == 200
    assert json.loads(str(response["body"])) == {"status": "ok"}
    response = invoke_handler(project, http_v2_event("POST", "/echo/hi", json.dumps({"n": 1})))
    assert response["statusCode"] == 200
    assert json.loads(str(response["body"])) == {"word": "hi", "body": {"n": 1}}


def test_lambda_handler_for_a_factory(runner: CliRunner, project: Path) -> None:
    (project / "main.py").write_text(
        MAIN.replace("app = FastAPI()", "def create_app():\n    return _app\n\n\n_app = FastAPI()").replace(
            "@app.", "@_app."
        )
    )
    code, output = invoke(runner, "--target", "lambda", "--app-dir", str(project))
    assert code == 0, output
    response = invoke_handler(project, http_v2_event("GET", "/healthz"))
    assert response["statusCode"] == 200


def test_ecs_task_definition(runner: CliRunner, project: Path) -> None:
    (project / ".env").write_text(
        "# settings\n"
        "TAUSESTACK_STORAGE_URL=s3://bucket/shop\n"
        "TAUSESTACK_DATABASE_URL=postgresql+psycopg://app:hunter2pass@db:5432/shop\n"
        "SHOP_OPENAI_API_KEY=sk-do-not-leak\n"
        "TAUSESTACK_AUTH_URL=secret:AUTH_URL\n"
        "SHOP_GREETING='Hi there'\n"
        "EMPTY=\n"
    )
    code, output = invoke(
        runner,
        "--target",
        "ecs",
        "--app-dir",
        str(project),
        "--region",
        "eu-west-1",
        "--account-id",
        "111122223333",
        "--secrets-prefix",
        "shop/",
    )
    assert code == 0, output
    text = (project / "ecs-task-definition.json").read_text()
    assert "hunter2pass" not in text
    assert "sk-do-not-leak" not in text
    definition = json.loads(text)
    assert definition["requiresCompatibilities"] == ["FARGATE"]
    assert definition["networkMode"] == "awsvpc"
    container = definition["containerDefinitions"][0]
    assert container["image"] == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop:latest"
    assert container["portMappings"][0]["containerPort"] == 8000
    environment = {item["name"]: item["value"] for item in container["environment"]}
    assert environment["TAUSESTACK_STORAGE_URL"] == "s3://bucket/shop"
    assert environment["SHOP_GREETING"] == "Hi there"
    assert "EMPTY" not in environment
    secrets = {item["name"]: item["valueFrom"] for item in container["secrets"]}
    arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/"
    assert secrets == {
        "TAUSESTACK_DATABASE_URL": arn + "TAUSESTACK_DATABASE_URL",
        "SHOP_OPENAI_API_KEY": arn + "SHOP_OPENAI_API_KEY",
        "TAUSESTACK_AUTH_URL": arn + "AUTH_URL",
    }
    assert container["logConfiguration"]["options"]["awslogs-region"] == "eu-west-1"
    assert "aws ecs register-task-definition" in output
    assert "sk-do-not-leak" not in output


def test_ecs_missing_env_file(runner: CliRunner, project: Path) -> None:
    code, output = invoke(runner, "--target", "ecs", "--app-dir", str(project), "--env-file", "nope.env")
    assert code == 1
    assert "does not exist" in output


def test_lambda_handler_on_a_generated_project(runner: CliRunner, tmp_path: Path) -> None:
    """The Mangum handler in front of a tausestack.web app: public route, auth enforced."""
    project = tmp_path / "webapp"
    assert runner.invoke(app, ["init", str(project)]).exit_code == 0
    code, output = invoke(runner, "--target", "lambda", "--app-dir", str(project))
    assert code == 0, output
    assert "storage uses the embedded file://.tausestack/storage" in output
    response = invoke_handler(project, http_v2_event("GET", "/api/hello"))
    assert response["statusCode"] == 200
    assert json.loads(str(response["body"])) == {"message": "Hello, world!"}
    assert invoke_handler(project, http_v2_event("GET", "/api/notes"))["statusCode"] == 401
