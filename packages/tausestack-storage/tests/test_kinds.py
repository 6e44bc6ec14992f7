"""Databutton semantics of json, text and binary on every embedded backend."""

from __future__ import annotations

import io
import math

import pytest

from tausestack.core import InvalidInputError, NotFoundError, ObjectNotFoundError, UnsupportedOperationError
from tausestack.storage import Storage


@pytest.mark.parametrize(
    "value", [{"a": [1, 2.5, None, True]}, [1, "x"], "text", 42, 3.5, None, False, {"ñ": "ü"}]
)
def test_json_round_trips_any_json_value(store: Storage, value: object) -> None:
    store.json.put("k", value)
    assert store.json.get("k") == value


def test_missing_key_raises_file_not_found(store: Storage) -> None:
    for kind in (store.json, store.text, store.binary):
        with pytest.raises(FileNotFoundError) as info:
            kind.get("missing")
        assert isinstance(info.value, NotFoundError)
        assert isinstance(info.value, ObjectNotFoundError)
        assert "missing" in str(info.value)


def test_default_and_callable_default(store: Storage) -> None:
    assert store.json.get("missing", default={"d": 1}) == {"d": 1}
    assert store.json.get("missing", default=None) is None
    calls: list[int] = []

    def make() -> list[int]:
        calls.append(1)
        return [7]

    assert store.json.get("missing", default=make) == [7]
    assert calls == [1]
    store.json.put("present", 1)
    assert store.json.get("present", default=make) == 1
    assert calls == [1]
    assert store.text.get("missing", default="x") == "x"
    assert store.binary.get("missing", default=b"") == b""


def test_delete_returns_whether_it_existed(store: Storage) -> None:
    assert store.json.delete("k") is False
    store.json.put("k", 1)
    assert store.json.exists("k")
    assert store.json.delete("k") is True
    assert not store.json.exists("k")
    assert store.json.delete("k") is False


def test_kinds_do_not_share_a_key_space(store: Storage) -> None:
    store.json.put("report", {"a": 1})
    store.binary.put("report", b"\x00\x01")
    store.text.put("report", "txt")
    assert store.json.get("report") == {"a": 1}
    assert store.binary.get("report") == b"\x00\x01"
    assert store.text.get("report") == "txt"
    store.binary.delete("report")
    assert store.json.get("report") == {"a": 1}
    assert [e.name for e in store.json.list()] == ["report"]


def test_list_with_prefix_and_entries(store: Storage) -> None:
    for key in ["reports/2024", "reports/2025", "rep", "other/x", "reports/deep/one"]:
        store.json.put(key, {"k": key})
    assert [e.name for e in store.json.list()] == [
        "other/x",
        "rep",
        "reports/2024",
        "reports/2025",
        "reports/deep/one",
    ]
    assert [e.name for e in store.json.list("reports/")] == [
        "reports/2024",
        "reports/2025",
        "reports/deep/one",
    ]
    assert [e.name for e in store.json.list("rep")] == [
        "rep",
        "reports/2024",
        "reports/2025",
        "reports/deep/one",
    ]
    assert store.json.list("nothing/") == []
    entry = store.json.list("other/")[0]
    assert entry.size == len(b'{"k":"other/x"}')
    assert entry.content_type == "application/json"
    assert entry.modified.tzinfo is not None


def test_overwrite_replaces_the_value(store: Storage) -> None:
    store.text.put("k", "a much longer first value")
    store.text.put("k", "short")
    assert store.text.get("k") == "short"


def test_json_refuses_unserialisable_values_and_writes_nothing(store: Storage) -> None:
    for bad in ({1, 2}, b"bytes", math.nan, {"f": object()}):
        with pytest.raises(InvalidInputError):
            store.json.put("k", bad)
    assert not store.json.exists("k")


def test_text_refuses_non_str(store: Storage) -> None:
    with pytest.raises(InvalidInputError):
        store.text.put("k", b"bytes")  # type: ignore[arg-type]
    assert not store.text.exists("k")
    store.text.put("k", "línea\nañadida 🚀")
    assert store.text.get("k") == "línea\nañadida 🚀"
    assert store.text.list()[0].content_type.startswith("text/plain")


def test_binary_bytes_and_file_objects_both_ways(store: Storage) -> None:
    payload = bytes(range(256)) * 5000
    store.binary.put("a.bin", payload)
    assert store.binary.get("a.bin") == payload
    store.binary.put("b.bin", io.BytesIO(payload))
    assert store.binary.get("b.bin") == payload
    store.binary.put("c.bin", memoryview(payload))
    out = io.BytesIO()
    assert store.binary.download("c.bin", out) == len(payload)
    assert out.getvalue() == payload
    with store.binary.open("a.bin") as file:
        assert file.read(4) == payload[:4]
        assert file.read() == payload[4:]


def test_binary_open_write_commits_on_close_and_keeps_old_value_on_error(store: Storage) -> None:
    store.binary.put("f", b"old")
    with store.binary.open("f", "wb") as file:
        file.write(b"new ")
        file.write(b"value")
    assert store.binary.get("f") == b"new value"

    def fail_midway() -> None:
        with store.binary.open("f", "wb") as file:
            file.write(b"partial")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    assert store.binary.get("f") == b"new value"


def test_binary_refuses_text_file_objects(store: Storage) -> None:
    with pytest.raises(InvalidInputError):
        store.binary.put("t", io.StringIO("text"))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        store.binary.put("t", 123)  # type: ignore[arg-type]
    assert not store.binary.exists("t")


def test_binary_content_type_and_metadata(store: Storage) -> None:
    store.binary.put("photo.png", b"png")
    info = store.binary.info("photo.png")
    assert info.content_type == "image/png"
    assert info.metadata == {}
    store.binary.put("blob", b"x", content_type="application/pdf", metadata={"Owner": "ana", "v": "2"})
    info = store.binary.info("blob")
    assert (info.name, info.size, info.content_type) == ("blob", 1, "application/pdf")
    assert info.metadata == {"owner": "ana", "v": "2"}
    assert store.binary.list()[0].content_type == "application/pdf"
    store.binary.put("blob", b"y")
    assert store.binary.info("blob").metadata == {}
    with pytest.raises(FileNotFoundError):
        store.binary.info("nope")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content_type": "not a type"},
        {"content_type": "text/plain\r\nX-Evil: 1"},
        {"metadata": {"bad name": "x"}},
        {"metadata": {"k": "line\nbreak"}},
        {"metadata": {"k": "ñ"}},
        {"metadata": {"k": "x" * 3000}},
        {"metadata": ["not", "a", "mapping"]},
    ],
)
def test_binary_bad_content_type_or_metadata_writes_nothing(
    store: Storage, kwargs: dict[str, object]
) -> None:
    with pytest.raises(InvalidInputError):
        store.binary.put("k", b"x", **kwargs)  # type: ignore[arg-type]
    assert not store.binary.exists("k")


def test_presign_is_a_clear_error_where_unsupported(store: Storage) -> None:
    store.binary.put("k", b"x")
    with pytest.raises(UnsupportedOperationError, match="presign"):
        store.binary.presign("k")


def test_binary_open_bad_mode(store: Storage) -> None:
    with pytest.raises(InvalidInputError):
        store.binary.open("k", "r+")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        store.binary.open("missing", "rb")


def test_repr_and_describe(store: Storage) -> None:
    assert store.describe() in repr(store)
    assert "Storage(" in repr(store)
    store.health()
