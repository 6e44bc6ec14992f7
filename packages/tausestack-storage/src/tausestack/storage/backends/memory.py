"""In-process storage for tests: ``memory://``. Each backend instance has its own objects."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import IO, cast

from tausestack.core import BackendURL, ObjectNotFoundError
from tausestack.storage._backend import ObjectInfo, StorageBackend, StorageEntry, default_content_type

__all__ = ["MemoryStorageBackend"]


class MemoryStorageBackend(StorageBackend):
    """Objects in a dict, guarded by a lock. Nothing survives the process.

    >>> backend = MemoryStorageBackend()
    >>> backend.write("json/a", b"1"); backend.read("json/a")
    b'1'
    """

    scheme = "memory"

    def __init__(self) -> None:
        self._objects: dict[str, ObjectInfo] = {}
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> MemoryStorageBackend:
        url.check_options(set())
        return cls()

    def describe(self) -> str:
        return "memory://"

    def read(self, key: str) -> bytes:
        try:
            return self._data[key]
        except KeyError:
            raise ObjectNotFoundError(f"storage object {key!r} does not exist") from None

    def write(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        data = bytes(data)
        info = ObjectInfo(
            key,
            len(data),
            datetime.now(timezone.utc),
            content_type or default_content_type(key),
            dict(metadata or {}),
        )
        with self._lock:
            self._data[key] = data
            self._objects[key] = info

    def open_read(self, key: str) -> IO[bytes]:
        return io.BytesIO(self.read(key))

    def open_write(
        self, key: str, *, content_type: str | None = None, metadata: Mapping[str, str] | None = None
    ) -> IO[bytes]:
        return cast("IO[bytes]", _MemoryWriter(self, key, content_type, metadata))

    def delete(self, key: str) -> bool:
        with self._lock:
            self._objects.pop(key, None)
            return self._data.pop(key, None) is not None

    def exists(self, key: str) -> bool:
        return key in self._data

    def info(self, key: str) -> ObjectInfo:
        try:
            return self._objects[key]
        except KeyError:
            raise ObjectNotFoundError(f"storage object {key!r} does not exist") from None

    def iter_entries(self, prefix: str) -> Iterator[StorageEntry]:
        with self._lock:
            infos = [info for key, info in self._objects.items() if key.startswith(prefix)]
        for info in infos:
            yield StorageEntry(info.name, info.size, info.modified, info.content_type)


class _MemoryWriter(io.BytesIO):
    """Collects the bytes; stores them on close, or drops them when its block raised."""

    def __init__(
        self,
        backend: MemoryStorageBackend,
        key: str,
        content_type: str | None,
        metadata: Mapping[str, str] | None,
    ) -> None:
        super().__init__()
        self._backend = backend
        self._key = key
        self._content_type = content_type
        self._metadata = metadata
        self._aborted = False

    def close(self) -> None:
        if not self.closed and not self._aborted:
            self._backend.write(
                self._key, self.getvalue(), content_type=self._content_type, metadata=self._metadata
            )
        super().close()

    def abort(self) -> None:
        self._aborted = True
        super().close()

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()

    def __del__(self) -> None:
        # Never commit a writer that was dropped without close().
        self._aborted = True
        super().__del__()
