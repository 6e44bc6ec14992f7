from __future__ import annotations

import pytest

from tausestack.core import ConfigurationError, parse_url, redact_url


def test_parses_every_documented_shape() -> None:
    url = parse_url("s3://bucket/some/prefix?region=eu-west-1&endpoint_url=http://x:9000", variable="V")
    assert (url.scheme, url.host, url.location, url.path) == (
        "s3",
        "bucket",
        "bucket/some/prefix",
        "/some/prefix",
    )
    assert url.options == {"region": "eu-west-1", "endpoint_url": "http://x:9000"}

    local = parse_url("file://.tausestack/storage")
    assert local.location == ".tausestack/storage"
    absolute = parse_url("file:///var/data")
    assert absolute.location == "/var/data"

    redis = parse_url("redis://user:p%40ss@127.0.0.1:6380/2")
    assert (redis.host, redis.port, redis.path, redis.username, redis.password) == (
        "127.0.0.1",
        6380,
        "/2",
        "user",
        "p@ss",
    )
    assert parse_url("memory://").location == ""
    assert parse_url("postgresql+psycopg://db/app").base_scheme == "postgresql"


def test_plus_in_an_option_is_kept() -> None:
    url = parse_url("local://?database=postgresql+psycopg://app@db/app&label=a%20b", variable="V")
    assert url.options == {"database": "postgresql+psycopg://app@db/app", "label": "a b"}


def test_password_never_in_repr_or_str() -> None:
    url = parse_url("redis://user:hunter2secret@host:6379/0?token=abcd1234", variable="TAUSESTACK_CACHE_URL")
    for text in (repr(url), str(url), url.redacted()):
        assert "hunter2secret" not in text
        assert "abcd1234" not in text
        assert "***" in text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("not a url", "not a backend URL"),
        ("/etc/passwd", "not a backend URL"),
        ("1abc://x", "not a backend URL"),
        ("redis://host:99999/0", "invalid port"),
        ("redis://host:abc/0", "invalid port"),
        ("memory://?a=1&a=2", "given twice"),
        ("memory://x\ny", "control characters"),
        ("memory://x\x00y", "control characters"),
    ],
)
def test_bad_urls_name_the_variable(raw: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        parse_url(raw, variable="TAUSESTACK_STORAGE_URL")
    assert "TAUSESTACK_STORAGE_URL" in str(info.value)


def test_non_string_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="must be a URL string"):
        parse_url(42, variable="X")  # type: ignore[arg-type]


def test_typed_options() -> None:
    url = parse_url("memory://?max_size=10&fsync=false&ttl=5m&ratio=0.5", variable="V")
    assert url.option_int("max_size", 1) == 10
    assert url.option_int("missing", 7) == 7
    assert url.option_bool("fsync", True) is False
    assert url.option_bool("missing", True) is True
    assert url.option_duration("ttl", None) == 300.0
    assert url.option_float("ratio", 1.0) == 0.5
    assert url.option("nope") is None
    url.check_options({"max_size", "fsync", "ttl", "ratio"})


@pytest.mark.parametrize(
    ("raw", "call", "message"),
    [
        ("memory://?max_size=ten", lambda u: u.option_int("max_size", 1), "not an integer"),
        ("memory://?max_size=0", lambda u: u.option_int("max_size", 1, minimum=1), "at least 1"),
        ("memory://?fsync=maybe", lambda u: u.option_bool("fsync", True), "not a boolean"),
        ("memory://?ttl=soon", lambda u: u.option_duration("ttl", None), "not a duration"),
        ("memory://?r=x", lambda u: u.option_float("r", 1.0), "not a number"),
        ("ses://", lambda u: u.require("region"), "needs the option 'region'"),
        ("memory://?max_sise=3", lambda u: u.check_options({"max_size"}), "unknown option"),
    ],
)
def test_bad_options_raise_configuration_errors(raw: str, call: object, message: str) -> None:
    url = parse_url(raw, variable="TAUSESTACK_CACHE_URL")
    with pytest.raises(ConfigurationError, match=message) as info:
        call(url)  # type: ignore[operator]
    assert "TAUSESTACK_CACHE_URL" in str(info.value)


def test_redact_url_keeps_the_rest() -> None:
    assert redact_url("postgresql://app:pw@db:5432/app?sslmode=require") == (
        "postgresql://app:***@db:5432/app?sslmode=require"
    )
    assert (
        redact_url("s3://bucket?secret_access_key=XYZ&region=x")
        == "s3://bucket?secret_access_key=***&region=x"
    )
    assert redact_url("memory://") == "memory://"
