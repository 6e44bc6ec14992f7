"""Every test: an empty working directory (so the embedded SQLite, files and auth key are fresh),
in-memory e-mail so messages can be read back, and fresh module defaults."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

MODULES = ("storage", "secrets", "cache", "notify", "auth", "database")


def _reset_modules() -> None:
    for name in MODULES:
        with contextlib.suppress(Exception):
            importlib.import_module(f"tausestack.{name}").reset()
    from app.config import get_settings

    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TAUSESTACK_NOTIFY_URL", "memory://")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    _reset_modules()
    yield
    _reset_modules()


@pytest.fixture
def client() -> Iterator[TestClient]:
    from main import app

    with TestClient(app) as test_client:
        yield test_client


def sign_up(client: TestClient, email: str) -> dict[str, str]:
    """Sign a new user up through the API; the Authorization header of their token."""
    response = client.post("/api/account/signup", json={"email": email, "password": "correct horse battery"})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
