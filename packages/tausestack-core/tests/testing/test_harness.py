"""The shared real-service harness: each fixture against its real service, and the skip/fail rule."""

from __future__ import annotations

import os
import uuid

import pytest

from tausestack.core.testing import (
    FirebaseEmulator,
    MotoServer,
    PostgresService,
    free_port,
)

INNER_TEST = """
def test_needs_postgres(postgres):
    assert postgres.database
"""


@pytest.mark.parametrize(("require", "outcome"), [("", "skipped"), ("1", "failed")])
def test_missing_service_skips_on_a_laptop_and_fails_in_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, require: str, outcome: str
) -> None:
    closed = free_port()
    monkeypatch.setenv("TAUSESTACK_TEST_POSTGRES_URL", f"postgresql://postgres@127.0.0.1:{closed}/postgres")
    monkeypatch.setenv("TAUSESTACK_TEST_REQUIRE_SERVICES", require)
    pytester.makepyfile(INNER_TEST)
    result = pytester.runpytest_subprocess(
        "-p", "tausestack.core.testing.pytest_plugin", "-rs", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(**{outcome: 1} if outcome == "skipped" else {"errors": 1})
    result.stdout.fnmatch_lines(["*PostgreSQL is not reachable*"])
    if require:
        result.stdout.fnmatch_lines(["*TAUSESTACK_TEST_REQUIRE_SERVICES=1*"])


def test_missing_redis_is_reported_the_same_way(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAUSESTACK_TEST_REDIS_URL", f"redis://127.0.0.1:{free_port()}")
    monkeypatch.setenv("TAUSESTACK_TEST_REQUIRE_SERVICES", "")
    pytester.makepyfile("def test_r(redis_url):\n    assert redis_url\n")
    result = pytester.runpytest_subprocess("-p", "tausestack.core.testing.pytest_plugin", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*Redis is not reachable*"])


def test_postgres_gives_a_throwaway_database(postgres: PostgresService) -> None:
    import psycopg

    assert postgres.database.startswith("tausestack_test_")
    assert postgres.url().startswith("postgresql+psycopg://")
    with psycopg.connect(postgres.dsn) as conn:
        assert conn.execute("select current_database()").fetchone() == (postgres.database,)
        conn.execute("create table if not exists harness_probe (id int)")


def test_redis_database_is_flushed_per_test(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        assert client.dbsize() == 0
        client.set("harness-probe", "1")
        assert client.get("harness-probe") == b"1"
        assert int(redis_url.rsplit("/", 1)[1]) > 0  # never database 0
    finally:
        client.close()


def test_moto_server_is_real_http_and_resets(moto: MotoServer) -> None:
    assert moto.pid is not None
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="harness")
    s3.put_object(Bucket="harness", Key="k", Body=b"v")
    assert s3.get_object(Bucket="harness", Key="k")["Body"].read() == b"v"
    assert os.environ["AWS_ENDPOINT_URL"] == moto.endpoint_url
    moto.reset()
    assert s3.list_buckets()["Buckets"] == []


@pytest.mark.slow
def test_firebase_emulator_creates_and_signs_in(firebase_emulator: FirebaseEmulator) -> None:
    import json
    import urllib.request

    email = f"{uuid.uuid4().hex[:8]}@example.com"
    url = f"{firebase_emulator.base_url}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake"
    request = urllib.request.Request(
        url,
        data=json.dumps({"email": email, "password": "pa55word!", "returnSecureToken": True}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    signed_in = firebase_emulator.sign_in(email, "pa55word!")
    assert signed_in["email"] == email
    assert signed_in["idToken"].count(".") == 2
    assert os.environ["FIREBASE_AUTH_EMULATOR_HOST"] == firebase_emulator.host
    firebase_emulator.clear()
    with pytest.raises(RuntimeError, match="sign-in failed"):
        firebase_emulator.sign_in(email, "pa55word!")
