"""Keys are validated before any I/O, and sanitize_key() always produces a valid key."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tausestack.core import InvalidKeyError
from tausestack.storage import Storage, sanitize_key, validate_key

BAD_KEYS = [
    "",
    "../x",
    "a/../b",
    "a/./b",
    "..",
    ".",
    "/etc/passwd",
    "a//b",
    "a/",
    "a\x00b",
    "a\nb",
    "tab\there",
    "x" * 1025,
    "/".join(["y" * 100] * 11),
    "s" * 201,
    "C:\\Windows\\system32",
    "C:/Windows",
    "a\\b",
    "spaces are bad",
    "ünïcode",
    "a?b",
    "a*b",
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidKeyError):
        validate_key(key)


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_write_nothing(key: str, tmp_path: Path) -> None:
    store = Storage(f"file://{tmp_path}/s")
    for kind in (store.json, store.text, store.binary):
        with pytest.raises(InvalidKeyError) as info:
            kind.put(key, "v" if kind is store.text else (b"v" if kind is store.binary else 1))
        assert isinstance(info.value, ValueError)
        with pytest.raises(InvalidKeyError):
            kind.get(key, default=None)
        with pytest.raises(InvalidKeyError):
            kind.delete(key)
    assert not (tmp_path / "s").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd"]
    assert list((tmp_path / "cwd").iterdir()) == []


def test_error_message_does_not_echo_control_characters() -> None:
    with pytest.raises(InvalidKeyError) as info:
        validate_key("evil\x1b[31mred")
    assert "\x1b" not in str(info.value)


def test_long_key_error_is_short() -> None:
    with pytest.raises(InvalidKeyError) as info:
        validate_key("k" * 5000 + "!")
    assert len(str(info.value)) < 400


def test_non_string_key_is_refused() -> None:
    with pytest.raises(InvalidKeyError):
        validate_key(123)


@pytest.mark.parametrize("key", ["a", "a.b", "a/b/c.json", "A-Z_0-9", ".hidden", "x" * 200, "...", "a/.b"])
def test_good_keys(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("../Informe de Año 2024/ventas (final).csv", "Informe_de_Ano_2024/ventas_final_.csv"),
        ("/etc/passwd", "etc/passwd"),
        ("C:\\Users\\ana\\doc.txt", "C_/Users/ana/doc.txt"),
        ("a//b", "a/b"),
        ("hello world", "hello_world"),
    ],
)
def test_sanitize_key(text: str, expected: str) -> None:
    assert sanitize_key(text) == expected


@pytest.mark.parametrize("text", ["", "/", "../..", "\x00", "////"])
def test_sanitize_key_refuses_when_nothing_is_left(text: str) -> None:
    with pytest.raises(InvalidKeyError):
        sanitize_key(text)


@given(st.text(min_size=1, max_size=3000))
def test_sanitize_key_gives_a_valid_key_or_a_clear_error(text: str) -> None:
    try:
        key = sanitize_key(text)
    except InvalidKeyError:
        return
    assert validate_key(key) == key


def _reference_rule(key: str) -> bool:
    """The documented rule, spelled out independently of the module's single-pattern fast path."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    if not key or len(key.encode()) > 1024:
        return False
    return all(
        segment and set(segment) <= allowed and segment not in (".", "..") and len(segment) <= 200
        for segment in key.split("/")
    )


@given(st.text(alphabet="ab._-/\\ \x00é", max_size=12) | st.text(alphabet="a/.", min_size=195, max_size=420))
def test_validate_key_matches_the_documented_rule(key: str) -> None:
    try:
        validate_key(key)
    except InvalidKeyError:
        assert not _reference_rule(key)
    else:
        assert _reference_rule(key)
