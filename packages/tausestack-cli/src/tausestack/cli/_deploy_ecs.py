"""``tausestack deploy --target ecs``: an ECS/Fargate task definition with env and Secrets Manager references."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tausestack.cli._errors import CLIError

if TYPE_CHECKING:
    from tausestack.cli._deploy import DeployOptions, DeployPlan
    from tausestack.cli._discovery import AppTarget

__all__ = ["plan_ecs", "task_definition", "read_env_file"]

_SENSITIVE = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE|CREDENTIAL|ACCESS_KEY", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"://[^/@\s:]+:[^/@\s]+@")
_SECRET_REF = re.compile(r"^secret:([A-Za-z0-9_./-]+)$")
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` pairs of a dotenv file (comments, blanks and empty values skipped; quotes removed)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        if value:
            values[key] = value
    return values


def task_definition(
    name: str, image: str, settings: dict[str, str], options: DeployOptions
) -> tuple[dict[str, Any], list[str]]:
    """The task definition and the Secrets Manager names it references.

    Plain settings go to ``environment``. ``secret:NAME`` values and settings that look sensitive
    (passwords, tokens, keys, URLs with a password) go to ``secrets`` as Secrets Manager ARNs:
    their values never appear in the file.
    """
    arn_base = f"arn:aws:secretsmanager:{options.region}:{options.account_id}:secret:{options.secrets_prefix}"
    environment: list[dict[str, str]] = []
    secrets: list[dict[str, str]] = []
    secret_names: list[str] = []
    for key, value in sorted(settings.items()):
        ref = _SECRET_REF.match(value)
        if ref or _SENSITIVE.search(key) or _URL_PASSWORD.search(value):
            secret_name = ref.group(1) if ref else key
            secrets.append({"name": key, "valueFrom": arn_base + secret_name})
            secret_names.append(options.secrets_prefix + secret_name)
        else:
            environment.append({"name": key, "value": value})
    environment.append({"name": "WEB_CONCURRENCY", "value": "2"})
    container: dict[str, Any] = {
        "name": name,
        "image": image,
        "essential": True,
        "portMappings": [{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}],
        "environment": environment,
        "secrets": secrets,
        "healthCheck": {
            "command": [
                "CMD",
                "python",
                "-c",
                "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)",
            ],
            "interval": 30,
            "timeout": 5,
            "retries": 3,
            "startPeriod": 15,
        },
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": f"/ecs/{name}",
                "awslogs-region": options.region,
                "awslogs-stream-prefix": name,
                "awslogs-create-group": "true",
            },
        },
    }
    definition = {
        "family": name,
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
        "executionRoleArn": f"arn:aws:iam::{options.account_id}:role/ecsTaskExecutionRole",
        "taskRoleArn": f"arn:aws:iam::{options.account_id}:role/{name}-task",
        "containerDefinitions": [container],
    }
    return definition, secret_names


def plan_ecs(target: AppTarget, options: DeployOptions) -> DeployPlan:
    """The files of the ecs target and the commands that follow."""
    from tausestack.cli._deploy import DeployPlan, project_name
    from tausestack.cli._deploy_docker import dockerfile, dockerignore

    name = re.sub(r"[^A-Za-z0-9_-]", "-", project_name(target))
    registry = f"{options.account_id}.dkr.ecr.{options.region}.amazonaws.com"
    image = options.image or f"{registry}/{name}:latest"
    settings: dict[str, str] = {}
    env_file = options.env_file
    if env_file is None:
        for candidate in (".env", ".env.example"):
            if (target.project_dir / candidate).is_file():
                env_file = Path(candidate)
                break
    if env_file is not None:
        path = env_file if env_file.is_absolute() else target.project_dir / env_file
        if not path.is_file():
            raise CLIError(f"--env-file {path} does not exist", hint="pass an existing dotenv file")
        settings = read_env_file(path)
    definition, secret_names = task_definition(name, image, settings, options)
    plan = DeployPlan(
        files={
            "ecs-task-definition.json": json.dumps(definition, indent=2) + "\n",
            "Dockerfile": dockerfile(),
            ".dockerignore": dockerignore(),
        }
    )
    plan.next_steps = [
        f"aws ecr get-login-password --region {options.region} | docker login --username AWS --password-stdin {registry}",
        f"docker build -t {image} . && docker push {image}",
    ]
    plan.next_steps += [
        f"aws secretsmanager create-secret --name {secret} --secret-string '...'" for secret in secret_names
    ]
    plan.next_steps.append(
        "aws ecs register-task-definition --cli-input-json file://ecs-task-definition.json"
    )
    if env_file is not None:
        plan.warnings.append(f"settings taken from {env_file}; pass --env-file to choose another file")
    return plan
