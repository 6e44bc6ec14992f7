"""Local-backend specifics: layout, atomic temp files, conflicts, fsync option, sidecar metadata."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tausestack.core import ConflictError
from tausestack.storage import Storage
from tausestack.storage.backends.local import LocalStorageBackend


def test_layout_and_nothing_created_before_the_first_write(tmp_path: Path) -> None:
    root = tmp_path / "data"
    store = Storage(f"file://{root}")
    assert store.json.get("k", default=None) is None
    assert store.json.list() == []
    assert not store.json.exists("k")
    assert not root.exists()
    store.json.put("reports/2024", [1])
    assert (root / "json" / "reports" / "2024").read_bytes() == b"[1]"
    assert store.describe() == f"file://{root}"


def test_relative_root_is_fixed_at_construction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Storage("file://rel/dir?fsync=false")
    assert store.describe() == "file://rel/dir?fsync=false"
    monkeypatch.chdir(tmp_path)
    store.text.put("k", "v")
    assert not (tmp_path / "rel").exists()
    assert store.text.get("k") == "v"


def test_fsync_option(tmp_path: Path) -> None:
    durable = Storage(f"file://{tmp_path}").backend
    fast = Storage(f"file://{tmp_path}?fsync=false").backend
    assert isinstance(durable, LocalStorageBackend)
    assert isinstance(fast, LocalStorageBackend)
    assert (durable.fsync, fast.fsync) == (True, False)
    fast.write("json/k", b"1")
    assert durable.read("json/k") == b"1"


def test_leftover_temporary_files_are_never_keys(tmp_path: Path) -> None:
    store = Storage(f"file://{tmp_path}")
    store.binary.put("a.bin", b"1")
    leftover = tmp_path / "binary" / ".a.bin.~tmpdeadbeef"
    leftover.write_bytes(b"partial")
    assert [entry.name for entry in store.binary.list()] == ["a.bin"]
    assert store.binary.get("a.bin") == b"1"


def test_key_cannot_be_object_and_folder(tmp_path: Path) -> None:
    store = Storage(f"file://{tmp_path}")
    store.json.put("a", 1)
    with pytest.raises(ConflictError, match="'a/b'"):
        store.json.put("a/b", 2)
    store.json.put("x/y", 1)
    with pytest.raises(ConflictError):
        store.json.put("x", 2)
    assert store.json.get("a") == 1
    assert store.json.get("x/y") == 1
    assert store.json.get("x", default=None) is None
    assert store.json.delete("x") is False
    assert sorted(os.listdir(tmp_path / "json" / "x")) == ["y"]


def test_delete_prunes_empty_folders_and_sidecars(tmp_path: Path) -> None:
    store = Storage(f"file://{tmp_path}")
    store.binary.put("deep/er/f.bin", b"1", metadata={"a": "b"})
    assert (tmp_path / "binary" / "deep" / "er" / "f.bin~meta").exists()
    assert store.binary.delete("deep/er/f.bin")
    assert not (tmp_path / "binary" / "deep").exists()
    assert tmp_path.exists()


def test_open_write_exposes_a_file_protocol(tmp_path: Path) -> None:
    store = Storage(f"file://{tmp_path}")
    with store.binary.open("f", "wb") as file:
        file.write(b"abc")
        file.writelines([b"d", b"e"])
        assert file.tell() == 5
        assert file.writable()
        assert not file.readable()
        assert not file.closed
        assert file.name.endswith(tuple("0123456789abcdef"))
    assert file.closed
    assert store.binary.get("f") == b"abcde"


def test_os_errors_map_to_the_core_hierarchy() -> None:
    """Root (this machine, CI) ignores file modes, so the mapping itself is checked."""
    from tausestack.core import AccessDeniedError, BackendUnavailableError, ObjectNotFoundError
    from tausestack.storage.backends.local import _error

    assert isinstance(_error(PermissionError(13, "Permission denied"), "k"), AccessDeniedError)
    assert isinstance(_error(FileNotFoundError(2, "No such file"), "k"), ObjectNotFoundError)
    assert isinstance(_error(IsADirectoryError(21, "Is a directory"), "k"), ObjectNotFoundError)
    assert isinstance(_error(OSError(28, "No space left on device"), "k"), BackendUnavailableError)


def test_a_leftover_temporary_name_from_a_reused_pid_is_skipped(tmp_path: Path) -> None:
    from tausestack.storage.backends import _local_io

    backend = LocalStorageBackend(tmp_path, fsync=False)
    backend.write("json/k", b"1")
    # the next temporary name this thread will pick, already taken by a killed writer
    taken = _local_io._temp_name(backend._path("json/k"))
    number = int(taken.rsplit("-", 1)[1])
    for ahead in range(number + 1, number + 4):
        Path(f"{taken.rsplit('-', 1)[0]}-{ahead}").write_bytes(b"stale")
    backend.write("json/k", b"2")
    assert backend.read("json/k") == b"2"
    assert sorted(name for name in os.listdir(tmp_path / "json") if "~tmp" not in name) == ["k"]


def test_large_objects_round_trip_past_the_first_read(tmp_path: Path) -> None:
    backend = LocalStorageBackend(tmp_path, fsync=False)
    for size in (0, 65_535, 65_536, 65_537, 3 * 1024 * 1024 + 7):
        data = os.urandom(size)
        backend.write("binary/big", data)
        assert backend.read("binary/big") == data


def test_a_failed_write_leaves_no_temporary_file_and_the_old_value(tmp_path: Path) -> None:
    backend = LocalStorageBackend(tmp_path, fsync=False)
    backend.write("binary/k", b"old")
    with pytest.raises(TypeError):
        backend.write("binary/k", "not bytes")  # type: ignore[arg-type]
    assert os.listdir(tmp_path / "binary") == ["k"]
    assert backend.read("binary/k") == b"old"


def test_reading_a_folder_is_not_found(tmp_path: Path) -> None:
    from tausestack.core import ObjectNotFoundError

    store = Storage(f"file://{tmp_path}")
    store.json.put("dir/k", 1)
    with pytest.raises(ObjectNotFoundError):
        store.backend.read("json/dir")


def test_writing_without_metadata_clears_an_old_sidecar(tmp_path: Path) -> None:
    store = Storage(f"file://{tmp_path}?fsync=false")
    store.binary.put("f.bin", b"1", content_type="image/png", metadata={"a": "b"})
    assert store.binary.info("f.bin").metadata == {"a": "b"}
    store.binary.put("f.bin", b"2")
    info = store.binary.info("f.bin")
    assert (info.metadata, info.content_type) == ({}, "application/octet-stream")
    assert not (tmp_path / "binary" / "f.bin~meta").exists()
