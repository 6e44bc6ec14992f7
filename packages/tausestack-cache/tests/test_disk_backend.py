"""The disk backend (diskcache): the Cache API on files, and no pickle either way."""

from __future__ import annotations

import pickle
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tausestack.cache import Cache, PayloadRejectedError, SerializationError
from tausestack.cache.backends.disk import DiskCacheBackend
from tausestack.core import InvalidInputError


class Exploit:
    """Unpickling this writes a marker file: proof that a payload was (not) loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "pwned"))


def test_nothing_is_created_until_first_use(tmp_path: Path) -> None:
    c = Cache(f"disk://{tmp_path}/cache")
    assert c.describe() == f"disk://{tmp_path}/cache"
    assert not (tmp_path / "cache").exists()
    c.set("k", 1)
    assert (tmp_path / "cache").is_dir()
    c.close()


def test_default_directory_is_relative_to_cwd() -> None:
    c = Cache("disk://")
    c.set("k", "v")
    assert Path(".tausestack/cache").is_dir()
    c.close()


def test_api_on_disk(tmp_path: Path) -> None:
    c = Cache(f"disk://{tmp_path}?ttl=1h")
    c.set("a", {"x": [1, 2]}, tags=["t"])
    c.set("none", None)
    assert c.get("a") == {"x": [1, 2]}
    assert c.get("none", "default") is None
    assert c.get_many(["a", "zz"]) == {"a": {"x": [1, 2]}}
    assert c.add("a", 2) is False
    assert c.incr("n") == 1
    assert c.incr("n", 9) == 10
    assert c.get("n") == 10
    with pytest.raises(InvalidInputError):
        c.incr("a")
    with pytest.raises(SerializationError):
        c.set("b", b"bytes need msgpack")
    assert c.get("b") is None
    c.set("u:1", 1, namespace="ns")
    c.set("u:2", 2, namespace="ns")
    assert c.delete_matching("u:*", namespace="ns") == 2
    assert c.invalidate_tags("t") == 1
    assert c.get("a") is None
    c.set("short", 1, ttl=0.05)
    time.sleep(0.08)
    assert c.get("short") is None
    assert c.clear() >= 2
    c.health()
    c.close()


def test_msgpack_on_disk_keeps_bytes(tmp_path: Path) -> None:
    c = Cache(f"disk://{tmp_path}?serializer=msgpack")
    c.set("b", b"\x00raw")
    assert c.get("b") == b"\x00raw"
    c.close()


def test_pickled_rows_written_by_plain_diskcache_are_refused(tmp_path: Path) -> None:
    import diskcache

    marker = tmp_path / "marker"
    plain = diskcache.Cache(str(tmp_path / "c"))
    plain.set("evil", Exploit(marker))  # diskcache pickles this (MODE_PICKLE)
    plain.set(("tuple", "key"), b"x")  # a pickled key
    plain.close()
    assert not marker.exists()
    c = Cache(f"disk://{tmp_path}/c")
    with pytest.raises(PayloadRejectedError, match="pickled value"):
        c.get("evil")
    with pytest.raises(PayloadRejectedError, match="pickled key"):
        c.delete_matching("*")
    assert not marker.exists()
    c.close()


def test_backend_refuses_to_pickle(tmp_path: Path) -> None:
    backend = DiskCacheBackend(tmp_path)
    with pytest.raises(TypeError, match="bytes and int only"):
        backend.cache.set("x", {"a": 1})
    raw = pickle.dumps(Exploit(tmp_path / "m"))
    backend.cache.set("raw", raw)  # bytes are stored raw, never loaded as pickle
    with pytest.raises(PayloadRejectedError):
        backend.get("raw")
    assert not (tmp_path / "m").exists()
    backend.close()


def test_cached_locks_across_backends_sharing_a_directory(tmp_path: Path) -> None:
    """Two backend objects on one directory behave like two processes."""
    calls = 0
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def make(cache: Cache) -> Any:
        @cache.cached(ttl=60, key="shared")
        def compute() -> int:
            nonlocal calls
            with lock:
                calls += 1
            time.sleep(0.3)
            return 7

        return compute

    functions = [make(Cache(f"disk://{tmp_path}")) for _ in range(3)]
    results: list[int] = []

    def run(fn: Any) -> None:
        barrier.wait()
        results.append(fn())

    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [7] * 6
    assert calls == 1
