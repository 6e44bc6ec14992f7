"""Low-level file operations of the local backend: new temporary files, raw reads, folder fsync.

Plain ``os`` calls, no buffered file objects: a 1 KiB put+get is nine system calls.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading

__all__ = [
    "TMP_MARK",
    "OPEN_READ",
    "FIRST_READ",
    "create_temp",
    "write_new",
    "read_rest",
    "unlink_quietly",
    "fsync_dir",
]

TMP_MARK = ".~tmp"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
OPEN_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
FIRST_READ = 64 * 1024  # one read() returns a small object whole; bigger ones read on to EOF
_counter = itertools.count()
_pid = os.getpid()


def _after_fork() -> None:
    global _pid
    _pid = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _temp_name(path: str) -> str:
    # Unique per process, thread and write without asking the kernel for randomness; a name left by
    # a killed writer whose pid came back makes O_EXCL fail, and _create_temp then adds random bytes.
    directory, _, name = path.rpartition(os.sep)
    return f"{directory}{os.sep}.{name}{TMP_MARK}{_pid}-{threading.get_ident()}-{next(_counter)}"


def create_temp(path: str) -> tuple[int, str]:
    """Create a new temporary file beside ``path``: (descriptor, name). Folders are made on demand."""
    tmp = _temp_name(path)
    try:
        return os.open(tmp, _CREATE, 0o666), tmp
    except FileNotFoundError:
        os.makedirs(path.rpartition(os.sep)[0], exist_ok=True)  # FileExistsError: a key is in the way
    except FileExistsError:
        tmp += os.urandom(6).hex()
    return os.open(tmp, _CREATE, 0o666), tmp


def write_new(path: str, data: bytes, fsync: bool) -> str:
    """Write ``data`` to a new temporary file beside ``path`` (flushed to disk when ``fsync``)."""
    fd, tmp = create_temp(path)
    try:
        written = os.write(fd, data)
        if written < len(data):
            view = memoryview(data)
            while written < len(view):
                written += os.write(fd, view[written:])
        if fsync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        unlink_quietly(tmp)
        raise
    os.close(fd)
    return tmp


def unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def read_rest(fd: int, first: bytes) -> bytes:
    chunks = [first]
    size = max(os.fstat(fd).st_size - len(first), 0) + 1
    while chunk := os.read(fd, min(size, 1 << 30)):
        chunks.append(chunk)
        size = FIRST_READ
    return b"".join(chunks)


def fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
