"""``tausestack routes``: the app's routes as a table (or JSON), from ``tausestack.web.route_table``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tausestack.cli._console import console
from tausestack.cli._discovery import discover_app, load_app, project_context

__all__ = ["show_routes", "collect_routes"]


def collect_routes(app_dir: Path, *, app: str | None = None) -> list[dict[str, Any]]:
    """Every route of the project's app as ``{"path", "methods", "auth", "tags"}`` dicts."""
    target = discover_app(app_dir, app)
    with project_context(target.project_dir):
        asgi_app = load_app(target)
        from tausestack.web import route_table

        rows = route_table(asgi_app)
    return [
        {
            "path": row.path,
            "methods": sorted(row.methods),
            "auth": row.auth,
            "tags": list(row.tags),
        }
        for row in rows
    ]


def show_routes(app_dir: Path, *, app: str | None = None, as_json: bool = False) -> None:
    """Print the routes of the project in ``app_dir``."""
    rows = collect_routes(app_dir, app=app)
    if as_json:
        console().print_json(json.dumps(rows))
        return
    from rich.table import Table

    table = Table("Path", "Methods", "Auth", "Tags", title=f"{len(rows)} routes")
    styles = {"public": "yellow", "required": "green"}
    for row in rows:
        auth = row["auth"]
        style = styles.get(auth, "cyan")
        table.add_row(
            row["path"], ", ".join(row["methods"]), f"[{style}]{auth}[/{style}]", ", ".join(row["tags"])
        )
    console().print(table)
