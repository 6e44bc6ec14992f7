"""Serializers: JSON by default, msgpack, and pickle only when signed."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from tausestack.cache import (
    JSONSerializer,
    MsgpackSerializer,
    PayloadRejectedError,
    PickleSerializer,
    SerializationError,
)
from tausestack.cache._serializers import serializer_from_url, serializer_named
from tausestack.core import ConfigurationError

KEY = "a-signing-key-that-is-long-enough"


class Exploit:
    """Unpickling this writes a marker file: proof that a payload was (not) loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "pwned"))


def test_json_round_trip_and_refusals() -> None:
    s = JSONSerializer()
    value = {"a": [1, 2.5, None, True, "é"]}
    assert s.loads(s.dumps(value)) == value
    assert s.loads(b"42") == 42
    with pytest.raises(SerializationError, match="msgpack"):
        s.dumps(b"raw")
    with pytest.raises(SerializationError):
        s.dumps(float("nan"))
    with pytest.raises(PayloadRejectedError):
        s.loads(b"\x02garbage")


def test_msgpack_round_trip_keeps_bytes_and_reads_counters() -> None:
    s = MsgpackSerializer()
    value = {"blob": b"\x00\x01", "n": 3, "k": {1: "int keys"}}
    assert s.loads(s.dumps(value)) == value
    assert s.loads(b"17") == 17
    with pytest.raises(PayloadRejectedError):
        s.loads(b"{}")


def test_pickle_needs_a_key() -> None:
    with pytest.raises(ConfigurationError, match="signing key"):
        serializer_named("pickle")
    with pytest.raises(ConfigurationError, match="16 bytes"):
        PickleSerializer("short")
    with pytest.raises(ConfigurationError, match="unknown serializer"):
        serializer_named("yaml")
    assert "***" in repr(PickleSerializer(KEY))
    assert KEY not in repr(PickleSerializer(KEY))


def test_pickle_signed_round_trip() -> None:
    s = PickleSerializer(KEY)
    value = {"set": {1, 2}, "tuple": (1, "a")}
    assert s.loads(s.dumps(value)) == value
    assert s.loads(b"-5") == -5


def test_unsigned_and_tampered_pickles_are_refused_unloaded(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    s = PickleSerializer(KEY)
    raw = pickle.dumps(Exploit(marker))
    with pytest.raises(PayloadRejectedError, match="not a signed pickle"):
        s.loads(raw)
    signed = bytearray(s.dumps("harmless"))
    forged = bytes(signed[:33]) + raw  # a valid signature of something else
    with pytest.raises(PayloadRejectedError, match="bad signature"):
        s.loads(forged)
    other = PickleSerializer("another-key-that-is-long-enough").dumps(Exploit(marker))
    assert not marker.exists()  # dumps does not run __reduce__'s callable
    with pytest.raises(PayloadRejectedError, match="bad signature"):
        s.loads(other)
    assert not marker.exists()


def test_serializer_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(serializer_from_url(None, variable="X"), JSONSerializer)
    monkeypatch.setenv("TAUSESTACK_CACHE_SERIALIZER", "pickle")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_CACHE_SIGNING_KEY"):
        serializer_from_url(None, variable="X")
    monkeypatch.setenv("TAUSESTACK_CACHE_SIGNING_KEY", KEY)
    assert isinstance(serializer_from_url(None, variable="X"), PickleSerializer)
    assert isinstance(serializer_from_url("msgpack", variable="X"), MsgpackSerializer)
