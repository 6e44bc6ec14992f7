"""``tausestack deploy``: plan the files for a target, write them (unless --dry-run), build what can be built."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tausestack.cli._console import console
from tausestack.cli._discovery import AppTarget, discover_app, project_context
from tausestack.cli._errors import CLIError
from tausestack.cli._modules import describe_modules
from tausestack.cli._pyproject import read_pyproject

__all__ = ["DeployOptions", "DeployPlan", "deploy_project", "project_name"]


@dataclass(frozen=True)
class DeployOptions:
    """Everything ``tausestack deploy`` was asked to do."""

    target: str
    project_dir: Path
    app: str | None = None
    dry_run: bool = False
    force: bool = False
    image: str | None = None
    build: bool = True
    region: str = "us-east-1"
    account_id: str = "123456789012"
    secrets_prefix: str = ""
    env_file: Path | None = None


@dataclass
class DeployPlan:
    """Files to write (relative path → content), commands to run next, and warnings."""

    files: dict[str, str] = field(default_factory=dict)
    next_steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def project_name(target: AppTarget) -> str:
    """The project's name: ``[project] name`` in pyproject.toml, else the directory's name."""
    name = read_pyproject(target.project_dir).get("project", {}).get("name")
    return name if isinstance(name, str) and name else target.project_dir.name


def deploy_project(options: DeployOptions) -> DeployPlan:
    """Plan, then (unless ``dry_run``) write the target's files and build; print what happened.

    Existing files that differ are kept unless ``force``. Returns the plan.
    """
    target = discover_app(options.project_dir, options.app)
    if options.target == "docker":
        from tausestack.cli._deploy_docker import plan_docker as planner
    elif options.target == "lambda":
        from tausestack.cli._deploy_lambda import plan_lambda as planner
    elif options.target == "ecs":
        from tausestack.cli._deploy_ecs import plan_ecs as planner
    else:
        raise CLIError(f"unknown deploy target {options.target!r}", hint="use --target docker, lambda or ecs")
    plan = planner(target, options)
    plan.warnings.extend(_embedded_backend_warnings(target, options.target))
    from rich.markup import escape

    out = console()
    out.print(
        f"Deploy target [bold]{options.target}[/bold] for {target.import_string} in {target.project_dir}"
    )
    if options.dry_run:
        out.print("[yellow]Dry run: nothing is written or built.[/yellow]")
    for relative, content in plan.files.items():
        path = target.project_dir / relative
        state = _file_state(path, content)
        if options.dry_run:
            verb = {
                "new": "would write",
                "same": "unchanged",
                "differs": "would overwrite" if options.force else "would keep",
            }[state]
            out.print(f"  {verb:<15} {relative} ({len(content.encode())} bytes)")
        elif state == "same":
            out.print(f"  unchanged       {relative}")
        elif state == "differs" and not options.force:
            out.print(f"  [yellow]kept existing[/yellow]   {relative} (differs; --force overwrites it)")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            out.print(f"  [green]wrote[/green]           {relative}")
    if not options.dry_run and options.target == "docker":
        from tausestack.cli._deploy_docker import build_image

        build_image(target, options, plan)
    for warning in plan.warnings:
        out.print(f"[yellow]![/yellow] {escape(warning)}")
    if plan.next_steps:
        out.print("\nNext steps:")
        for step in plan.next_steps:
            out.print(f"  {step}", markup=False)
    return plan


def _file_state(path: Path, content: str) -> str:
    if not path.exists():
        return "new"
    return "same" if path.read_text(encoding="utf-8", errors="replace") == content else "differs"


_EMBEDDED = ("file://", "sqlite", "local://", "memory://", "console://", "disk://")


def _embedded_backend_warnings(target: AppTarget, deploy_target: str) -> list[str]:
    """Modules still on an embedded backend, which do not survive (or scale across) containers."""
    with project_context(target.project_dir):
        reports = describe_modules()
    warnings = []
    where = (
        "on Lambda only /tmp is writable"
        if deploy_target == "lambda"
        else "container files are lost on restart"
    )
    for report in reports:
        if report.installed and report.backend and report.backend.startswith(_EMBEDDED):
            if report.name in ("secrets", "notify") and not report.backend.startswith(("file://", "sqlite")):
                continue
            warnings.append(
                f"{report.name} uses the embedded {report.backend} ({where} and instances do not share it); "
                f"set {report.variable} for production"
            )
    return warnings
