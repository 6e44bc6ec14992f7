"""Local files: ``file://.tausestack/storage`` (relative to the working directory) or ``file:///abs/dir``.

Writes are atomic: the bytes go to a temporary file in the same directory, are flushed to disk
(``fsync``, unless the URL says ``?fsync=false``) and renamed over the old file, so a reader sees
the old value or the new one, never a mix, and a writer killed mid-write leaves the old value.
Content type and metadata, when they differ from the defaults, live in a ``<name>~meta`` file
beside the object (``~`` never appears in a key, so it cannot collide with one).

A key cannot be both an object and the folder of other keys here (``a`` and ``a/b``): that put
raises :class:`~tausestack.core.ConflictError`. Nothing is created until the first write.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, cast

from tausestack.core import (
    AccessDeniedError,
    BackendUnavailableError,
    BackendURL,
    ConflictError,
    ObjectNotFoundError,
)
from tausestack.storage._backend import ObjectInfo, StorageBackend, StorageEntry, default_content_type
from tausestack.storage.backends._local_io import (
    FIRST_READ,
    OPEN_READ,
    TMP_MARK,
    create_temp,
    fsync_dir,
    read_rest,
    unlink_quietly,
    write_new,
)

__all__ = ["LocalStorageBackend"]

_META_SUFFIX = "~meta"


class LocalStorageBackend(StorageBackend):
    """Objects as files under ``root``.

    >>> backend = LocalStorageBackend(".tausestack/storage", fsync=False)
    """

    scheme = "file"

    def __init__(self, root: str | os.PathLike[str] = ".tausestack/storage", *, fsync: bool = True) -> None:
        self._display = os.fspath(root)
        self.root = Path(root).expanduser().absolute()
        self._prefix = str(self.root) + os.sep
        self.fsync = fsync

    @classmethod
    def from_url(cls, url: BackendURL) -> LocalStorageBackend:
        url.check_options({"fsync"})
        location = url.location or ".tausestack/storage"
        return cls(location, fsync=url.option_bool("fsync", True))

    def describe(self) -> str:
        suffix = "" if self.fsync else "?fsync=false"
        return f"file://{self._display}{suffix}"

    # -- paths ---------------------------------------------------------------------------------

    def _path(self, key: str) -> str:
        return self._prefix + (key if os.sep == "/" else key.replace("/", os.sep))

    # -- reading -------------------------------------------------------------------------------

    def read(self, key: str) -> bytes:
        try:
            fd = os.open(self._path(key), OPEN_READ)
        except OSError as exc:
            raise _error(exc, key) from None
        try:
            # A key's file is never modified in place (writes replace it), so a short read is EOF.
            data = os.read(fd, FIRST_READ)
            if len(data) == FIRST_READ:
                data = read_rest(fd, data)
            return data
        except OSError as exc:
            raise _error(exc, key) from None
        finally:
            os.close(fd)

    def open_read(self, key: str) -> IO[bytes]:
        try:
            return open(self._path(key), "rb")
        except OSError as exc:
            raise _error(exc, key) from None

    def local_path(self, key: str) -> str | None:
        path = self._path(key)
        return path if os.path.isfile(path) else None

    def exists(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def info(self, key: str) -> ObjectInfo:
        path = self._path(key)
        try:
            stat = os.stat(path)
        except OSError as exc:
            raise _error(exc, key) from None
        if not os.path.isfile(path):
            raise ObjectNotFoundError(f"storage object {key!r} does not exist")
        content_type, metadata = self._read_meta(path, key)
        return ObjectInfo(key, stat.st_size, _mtime(stat.st_mtime), content_type, metadata)

    def _read_meta(self, path: str, key: str) -> tuple[str, dict[str, str]]:
        try:
            with open(path + _META_SUFFIX, "rb") as file:
                raw = json.loads(file.read())
        except (OSError, ValueError):
            return default_content_type(key), {}
        return str(raw.get("content_type") or default_content_type(key)), dict(raw.get("metadata") or {})

    def iter_entries(self, prefix: str) -> Iterator[StorageEntry]:
        folder, _, _ = prefix.rpartition("/")
        start = self._path(folder) if folder else str(self.root)
        yield from self._walk(start, folder, prefix)

    def _walk(self, directory: str, key_dir: str, prefix: str) -> Iterator[StorageEntry]:
        try:
            scanner = os.scandir(directory)
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError as exc:
            raise _error(exc, key_dir) from None
        with scanner:
            items = list(scanner)
        names = {item.name for item in items}
        for item in items:
            name = item.name
            if TMP_MARK in name or name.endswith(_META_SUFFIX):
                continue
            key = f"{key_dir}/{name}" if key_dir else name
            if item.is_dir(follow_symlinks=False):
                if key.startswith(prefix) or prefix.startswith(key + "/"):
                    yield from self._walk(item.path, key, prefix)
            elif key.startswith(prefix) and item.is_file(follow_symlinks=False):
                stat = item.stat()
                if name + _META_SUFFIX in names:
                    content_type, _ = self._read_meta(item.path, key)
                else:
                    content_type = default_content_type(key)
                yield StorageEntry(key, stat.st_size, _mtime(stat.st_mtime), content_type)

    # -- writing -------------------------------------------------------------------------------

    def write(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        path = self._path(key)
        meta = _meta(key, content_type, metadata) if content_type or metadata else None
        try:
            tmp = write_new(path, data, self.fsync)
        except (FileExistsError, NotADirectoryError):
            raise _conflict(key) from None
        except OSError as exc:
            raise _error(exc, key) from None
        _commit(tmp, path, key, meta, self.fsync)

    def open_write(
        self, key: str, *, content_type: str | None = None, metadata: Mapping[str, str] | None = None
    ) -> IO[bytes]:
        return cast("IO[bytes]", self._open_atomic(key, content_type, metadata))

    def _open_atomic(
        self, key: str, content_type: str | None, metadata: Mapping[str, str] | None
    ) -> _AtomicFile:
        meta = _meta(key, content_type, metadata) if content_type or metadata else None
        try:
            return _AtomicFile(self._path(key), key, fsync=self.fsync, meta=meta)
        except (FileExistsError, NotADirectoryError):
            raise _conflict(key) from None
        except OSError as exc:
            raise _error(exc, key) from None

    def delete(self, key: str) -> bool:
        path = self._path(key)
        try:
            os.unlink(path)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return False
        except OSError as exc:
            raise _error(exc, key) from None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path + _META_SUFFIX)
        self._prune(Path(path).parent)
        return True

    def _prune(self, directory: Path) -> None:
        # Remove folders a delete left empty, up to (not including) the root.
        while directory != self.root and self.root in directory.parents:
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent

    def health(self) -> None:
        probe = self.root
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
            raise BackendUnavailableError(
                f"local storage {self.describe()} is not a writable directory ({probe})"
            )


class _AtomicFile:
    """A temporary file that replaces ``path`` on ``close()`` (or vanishes on abort)."""

    def __init__(self, path: str, key: str, *, fsync: bool, meta: dict[str, Any] | None) -> None:
        self._path = path
        self._key = key
        self._fsync = fsync
        self._meta = meta
        self._done = True  # until the file exists
        fd, self._tmp = create_temp(path)
        self._file = open(fd, "wb", closefd=True)  # noqa: SIM115 - closed by close()/abort()
        self._done = False

    # the file protocol pyarrow, shutil and users need
    def write(self, data: Any) -> int:
        return self._file.write(data)

    def writelines(self, lines: Any) -> None:
        self._file.writelines(lines)

    def flush(self) -> None:
        self._file.flush()

    def tell(self) -> int:
        return self._file.tell()

    def fileno(self) -> int:
        return self._file.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return self._done

    @property
    def name(self) -> str:
        return self._tmp

    @property
    def mode(self) -> str:
        return "wb"

    def close(self) -> None:
        """Make the new content visible under the key (atomically), or do nothing if done."""
        if self._done:
            return
        self._done = True
        try:
            self._file.flush()
            if self._fsync:
                os.fsync(self._file.fileno())
            self._file.close()
        except BaseException:
            self._discard()
            raise
        _commit(self._tmp, self._path, self._key, self._meta, self._fsync)

    def abort(self) -> None:
        """Drop what was written; the old value (if any) stays."""
        if not self._done:
            self._done = True
            self._discard()

    def _discard(self) -> None:
        self._file.close()
        unlink_quietly(self._tmp)

    def __enter__(self) -> _AtomicFile:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def __del__(self) -> None:
        if not getattr(self, "_done", True):
            self.abort()


def _meta(key: str, content_type: str | None, metadata: Mapping[str, str] | None) -> dict[str, Any] | None:
    meta: dict[str, Any] = {}
    if content_type and content_type != default_content_type(key):
        meta["content_type"] = content_type
    if metadata:
        meta["metadata"] = dict(metadata)
    return meta or None


def _commit(tmp: str, path: str, key: str, meta: dict[str, Any] | None, fsync: bool) -> None:
    """Rename the finished temporary file over ``path``, then bring its metadata sidecar in line."""
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        unlink_quietly(tmp)
        if isinstance(exc, IsADirectoryError):
            raise _conflict(key) from None
        if isinstance(exc, OSError):
            raise _error(exc, key) from None
        raise
    meta_path = path + _META_SUFFIX
    if meta:
        _commit(write_new(meta_path, json.dumps(meta).encode(), fsync), meta_path, key, None, False)
    else:
        # A failed unlink costs about a microsecond; knowing without it would need a cache other
        # processes writing the same folder cannot invalidate.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(meta_path)
    if fsync:
        fsync_dir(path.rpartition(os.sep)[0])


def _conflict(key: str) -> ConflictError:
    return ConflictError(
        f"storage key {key!r} cannot be both an object and the folder of other keys on the local "
        "backend (like 'a' and 'a/b'); delete one or choose another key"
    )


def _mtime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


def _error(exc: OSError, key: str) -> Exception:
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError)):
        return ObjectNotFoundError(f"storage object {key!r} does not exist")
    if isinstance(exc, PermissionError):
        return AccessDeniedError(f"local storage refused access to {key!r}: {exc.strerror}")
    return BackendUnavailableError(f"local storage failed on {key!r}: {exc.strerror or exc}")
