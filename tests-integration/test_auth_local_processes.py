"""The local auth backend shared by two processes: one PostgreSQL database, one project key."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from tausestack.auth.backends._local_store import metadata
from tausestack.auth.backends.local import LocalAuthBackend
from tausestack.core import AuthenticationError

pytestmark = pytest.mark.postgres


def run(code: str, url: str) -> str:
    script = textwrap.dedent(
        f"""
        from tausestack import auth
        backend = auth.configure({url!r})
        """
    ) + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip()


def test_token_from_another_process_then_revoked_there(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    metadata.drop_all(engine)
    engine.dispose()
    url = f"local://?database={postgres_url}"
    token = run(
        """
        backend.create_user("ada@example.com", "correct horse battery")
        print(backend.sign_in("ada@example.com", "correct horse battery").access_token)
        """,
        url,
    )
    here = LocalAuthBackend(database=postgres_url, user_cache=0)
    assert here.verify_token(token).email == "ada@example.com"
    run('backend.revoke_tokens(backend.get_user_by_email("ada@example.com").uid)', url)
    with pytest.raises(AuthenticationError, match="revoked"):
        here.verify_token(token)
    here.close()
    engine = sa.create_engine(postgres_url)
    metadata.drop_all(engine)
    engine.dispose()
