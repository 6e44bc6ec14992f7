"""The TauseStack example AI API.

Serve it with `hatch run demo` (from the repository root) or `tausestack run` here:
http://127.0.0.1:8000/docs. Every module runs on its embedded default unless its
TAUSESTACK_<MODULE>_URL says otherwise; the code does not change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from app.config import get_settings
from fastapi import FastAPI

from tausestack.core import run_sync
from tausestack.database import migrations
from tausestack.web import create_app

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Bring the database schema to the latest migration (unless AIAPI_AUTO_MIGRATE=false)."""
    if get_settings().auto_migrate:
        await run_sync(migrations.upgrade, "head", directory=MIGRATIONS)
    yield


app = create_app(
    project_dir=HERE,
    lifespan=lifespan,
    title="TauseStack AI API",
    description="Upload text documents, analyse them (summary, keywords, sentiment), keep the history.",
)
