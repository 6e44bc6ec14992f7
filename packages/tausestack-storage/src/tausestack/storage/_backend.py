"""The storage backend interface: bytes under keys, one small ABC (as Litestar's stores).

Backends see full object keys, already validated, with the kind's namespace in front
(``json/report``, ``binary/photos/a.png``): the kinds (:mod:`._kinds`) own encoding and
namespacing, a backend only moves bytes. Every method is blocking; the kinds provide the async
twins. Errors: a missing object is :class:`~tausestack.core.ObjectNotFoundError` (a
``FileNotFoundError``), a refused one :class:`~tausestack.core.AccessDeniedError` (a
``PermissionError``), an unreachable service :class:`~tausestack.core.BackendUnavailableError`.
"""

from __future__ import annotations

import mimetypes
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, ClassVar

from tausestack.core import BackendURL, UnsupportedOperationError

__all__ = ["StorageBackend", "StorageEntry", "ObjectInfo", "default_content_type", "KIND_CONTENT_TYPES"]

KIND_CONTENT_TYPES: Mapping[str, str] = {
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
    "dataframe": "application/vnd.apache.parquet",
}
_OCTET_STREAM = "application/octet-stream"


def default_content_type(object_key: str) -> str:
    """The content type an object gets when none is given: by kind, then by file extension."""
    kind, _, key = object_key.partition("/")
    known = KIND_CONTENT_TYPES.get(kind)
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(key, strict=False)
    return guessed or _OCTET_STREAM


@dataclass(frozen=True)
class StorageEntry:
    """One object in a listing: its key, size in bytes, last modification (UTC) and content type."""

    name: str
    size: int
    modified: datetime
    content_type: str


@dataclass(frozen=True)
class ObjectInfo(StorageEntry):
    """A :class:`StorageEntry` plus the user metadata stored with the object."""

    metadata: Mapping[str, str] = field(default_factory=dict)


class StorageBackend(ABC):
    """Where the bytes live. Subclass it (one file under ``backends/``) to add a backend.

    ``open_write`` returns a writable binary file whose ``close()`` makes the object visible
    atomically; leaving its ``with`` block on an exception discards what was written.
    """

    scheme: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def from_url(cls, url: BackendURL) -> StorageBackend:
        """Build the backend from its parsed URL (refusing unknown options)."""

    @abstractmethod
    def read(self, key: str) -> bytes:
        """The object's bytes; :class:`ObjectNotFoundError` when missing."""

    @abstractmethod
    def write(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Store ``data`` under ``key``, replacing any previous object atomically."""

    @abstractmethod
    def open_read(self, key: str) -> IO[bytes]:
        """A readable binary file streaming the object; :class:`ObjectNotFoundError` when missing."""

    @abstractmethod
    def open_write(
        self, key: str, *, content_type: str | None = None, metadata: Mapping[str, str] | None = None
    ) -> IO[bytes]:
        """A writable binary file; the object appears (atomically) when it is closed."""

    @abstractmethod
    def delete(self, key: str) -> bool:
        """Delete the object; False when it did not exist."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether the object exists."""

    @abstractmethod
    def info(self, key: str) -> ObjectInfo:
        """Size, modification time, content type and metadata; :class:`ObjectNotFoundError` when missing."""

    @abstractmethod
    def iter_entries(self, prefix: str) -> Iterator[StorageEntry]:
        """Every object whose key starts with ``prefix`` (full keys, any order)."""

    def local_path(self, key: str) -> str | None:
        """A filesystem path holding the object, when the backend keeps one (local files)."""
        return None

    def presign(self, key: str, method: str, expires: float) -> str:
        """A URL that grants ``method`` on the object for ``expires`` seconds."""
        raise UnsupportedOperationError(
            f"the {self.scheme}:// storage backend cannot make presigned URLs; use s3:// for presign()"
        )

    def health(self) -> None:
        """Check the backend works (cheaply); raise BackendUnavailableError when not."""
        return

    def close(self) -> None:
        """Release connections (the backend stays usable and reopens on next use)."""
        return

    @abstractmethod
    def describe(self) -> str:
        """A short redacted text naming the backend, e.g. ``file://.tausestack/storage``."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()!r})"
