"""``tausestack deploy`` and ``tausestack doctor``'s neighbour: signatures only."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register", "Target"]


class Target(str, Enum):
    """Where ``tausestack deploy`` prepares the app to run."""

    docker = "docker"
    lambda_ = "lambda"
    ecs = "ecs"


def deploy(
    target: Annotated[Target, typer.Option("--target", "-t", help="docker, lambda or ecs.")] = Target.docker,
    app_dir: Annotated[
        Path, typer.Option("--app-dir", "-d", help="The project directory.", file_okay=False)
    ] = Path("."),
    app: Annotated[str | None, typer.Option("--app", help="The app as 'module:attribute'.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; write and build nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files written by an earlier deploy.")
    ] = False,
    image: Annotated[
        str | None, typer.Option("--image", help="Image name (default: PROJECT:latest).")
    ] = None,
    build: Annotated[
        bool, typer.Option("--build/--no-build", help="docker: build the image when an engine is reachable.")
    ] = True,
    region: Annotated[str, typer.Option("--region", help="ecs: AWS region for ARNs and logs.")] = "us-east-1",
    account_id: Annotated[
        str, typer.Option("--account-id", help="ecs: AWS account id for ARNs.")
    ] = "123456789012",
    secrets_prefix: Annotated[
        str, typer.Option("--secrets-prefix", help="ecs: Secrets Manager name prefix of the app's secrets.")
    ] = "",
    env_file: Annotated[
        Path | None,
        typer.Option(
            "--env-file", help="ecs: settings to put in the task (default: .env, else .env.example)."
        ),
    ] = None,
) -> None:
    """Prepare the app for Docker (Dockerfile + compose), AWS Lambda (Mangum) or ECS/Fargate.

    Writes the files into the project directory, builds what can be built here (a Docker
    image when an engine is reachable), and prints what to push and run next.
    """
    from tausestack.cli._deploy import DeployOptions, deploy_project

    deploy_project(
        DeployOptions(
            target=target.value,
            project_dir=app_dir,
            app=app,
            dry_run=dry_run,
            force=force,
            image=image,
            build=build,
            region=region,
            account_id=account_id,
            secrets_prefix=secrets_prefix,
            env_file=env_file,
        )
    )


def register(app: typer.Typer) -> None:
    """Add ``deploy`` to the root app."""
    app.command(rich_help_panel="Project")(deploy)
