"""attachment() from bytes, text, paths, file objects, storage keys and DataFrames."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tausestack.core import ConfigurationError, InvalidInputError
from tausestack.notify import StorageKey, attachment


def test_bytes_and_text() -> None:
    a = attachment(b"%PDF-1.7", file_name="report.pdf")
    assert (a.content, a.content_type, a.cid) == (b"%PDF-1.7", "application/pdf", None)
    t = attachment("héllo", file_name="notes")
    assert (t.content, t.content_type) == ("héllo".encode(), "text/plain")
    assert attachment(b"x", file_name="blob").content_type == "application/octet-stream"
    assert (
        attachment(b"x", file_name="a.bin", content_type="Application/X-Custom").content_type
        == "application/x-custom"
    )
    assert "8 bytes" in repr(a)


def test_path_and_file_object(tmp_path: Path) -> None:
    path = tmp_path / "chart.png"
    path.write_bytes(b"\x89PNG")
    a = attachment(path)
    assert (a.file_name, a.content_type, a.content) == ("chart.png", "image/png", b"\x89PNG")
    assert attachment(path, file_name="renamed.png").file_name == "renamed.png"
    with path.open("rb") as handle:
        assert attachment(handle).file_name == "chart.png"
    assert attachment(io.BytesIO(b"abc"), file_name="x.txt").content == b"abc"
    with pytest.raises(FileNotFoundError):
        attachment(tmp_path / "missing.pdf")


def test_refusals() -> None:
    with pytest.raises(InvalidInputError, match="file_name"):
        attachment(b"x")
    with pytest.raises(InvalidInputError, match="MIME"):
        attachment(b"x", file_name="a", content_type="not a type")
    with pytest.raises(InvalidInputError, match="cid"):
        attachment(b"x", file_name="a.png", cid="bad cid!")
    with pytest.raises(InvalidInputError, match="content"):
        attachment(12345, file_name="a")
    assert attachment(b"x", file_name="a.png", cid="<logo>").cid == "logo"


def test_dataframe_as_csv() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"name": ["Ada", "Alan"], "score": [10, 9]})
    a = attachment(frame, file_name="scores.csv")
    assert a.content_type == "text/csv"
    assert a.content.decode().splitlines() == ["name,score", "Ada,10", "Alan,9"]


class _Binary:
    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = objects

    def get(self, key: str) -> bytes:
        if key not in self.objects:
            raise FileNotFoundError(key)
        return self.objects[key]


class _Storage:
    """Stands in for a tausestack.storage.Storage (another package): only .binary.get is used."""

    def __init__(self, objects: dict[str, bytes]) -> None:
        self.binary = _Binary(objects)


def test_storage_key_with_explicit_storage() -> None:
    store = _Storage({"reports/q1.pdf": b"%PDF"})
    a = attachment(StorageKey("reports/q1.pdf", storage=store))
    assert (a.file_name, a.content_type, a.content) == ("q1.pdf", "application/pdf", b"%PDF")
    with pytest.raises(FileNotFoundError):
        attachment(StorageKey("reports/missing.pdf", storage=store))


def test_storage_key_without_tausestack_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tausestack.storage", None)
    with pytest.raises(ConfigurationError, match="pip install tausestack-storage"):
        attachment(StorageKey("reports/q1.pdf"))


def test_storage_key_with_the_default_storage(tmp_path: Path) -> None:
    from tausestack import storage

    storage.configure(f"file://{tmp_path}")
    try:
        storage.binary.put("docs/readme.txt", b"hello")
        a = attachment(StorageKey("docs/readme.txt"))
        assert (a.file_name, a.content, a.content_type) == ("readme.txt", b"hello", "text/plain")
    finally:
        storage.reset()
