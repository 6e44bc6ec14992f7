"""The ``binary`` kind: bytes and file objects, streaming, content type, metadata, presign."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from typing import IO, Any, Literal

from tausestack.core import Duration, InvalidInputError, ObjectNotFoundError, async_twin, parse_duration
from tausestack.storage._backend import ObjectInfo
from tausestack.storage._kinds import MISSING, StorageKind

__all__ = ["BinaryStorage"]

_CHUNK = 1024 * 1024
_CONTENT_TYPE = re.compile(
    r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(?:\s*;\s*[A-Za-z0-9_.-]+=[^\x00-\x1f\x7f;]+)*"
)
_META_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
_META_VALUE = re.compile(r"[\x20-\x7e]*")
_MAX_METADATA = 2048
_METHODS = {"GET": "GET", "PUT": "PUT", "get": "GET", "put": "PUT"}


def _check_content_type(content_type: str | None) -> str | None:
    if content_type is None:
        return None
    if not isinstance(content_type, str) or _CONTENT_TYPE.fullmatch(content_type) is None:
        raise InvalidInputError(f"content_type {content_type!r} is not a media type such as 'image/png'")
    return content_type


def _check_metadata(metadata: Mapping[str, str] | None) -> dict[str, str] | None:
    if metadata is None:
        return None
    if not isinstance(metadata, Mapping):
        raise InvalidInputError(f"metadata must be a mapping of str to str, not {type(metadata).__name__}")
    checked: dict[str, str] = {}
    for name, value in metadata.items():
        if not isinstance(name, str) or _META_NAME.fullmatch(name) is None:
            raise InvalidInputError(
                f"metadata name {name!r} is not allowed; use letters, digits, '_' and '-' (at most 128)"
            )
        if not isinstance(value, str) or _META_VALUE.fullmatch(value) is None:
            raise InvalidInputError(f"metadata {name!r} must be printable ASCII text")
        checked[name.lower()] = value
    if sum(len(name) + len(value) for name, value in checked.items()) > _MAX_METADATA:
        raise InvalidInputError(f"metadata is larger than {_MAX_METADATA} bytes")
    return checked


class BinaryStorage(StorageKind):
    """Bytes and file objects, with content type and user metadata.

    >>> storage.binary.put("photos/cat.png", png_bytes, metadata={"owner": "ana"})
    >>> with open("cat.png", "rb") as file:
    ...     storage.binary.put("photos/cat.png", file)          # streamed, bounded memory
    >>> with storage.binary.open("photos/cat.png") as file:     # a readable file object
    ...     header = file.read(8)
    """

    namespace = "binary"

    def put(
        self,
        key: str,
        value: bytes | bytearray | memoryview | IO[bytes],
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Store bytes, or everything readable from a binary file object (streamed in chunks).

        ``content_type`` defaults to a guess from the key's extension; ``metadata`` is a small
        mapping of ASCII text. Bad arguments raise :class:`InvalidInputError` before any I/O.
        """
        object_key = self._object_key(key)
        content_type = _check_content_type(content_type)
        checked = _check_metadata(metadata)
        if isinstance(value, (bytes, bytearray, memoryview)):
            self._backend.write(object_key, bytes(value), content_type=content_type, metadata=checked)
            return
        read = getattr(value, "read", None)
        if not callable(read):
            raise InvalidInputError(
                f"storage.binary.put({key!r}) needs bytes or a binary file object, not {type(value).__name__}"
            )
        with self._backend.open_write(object_key, content_type=content_type, metadata=checked) as target:
            while True:
                chunk = read(_CHUNK)
                if not chunk:
                    break
                if not isinstance(chunk, (bytes, bytearray, memoryview)):
                    raise InvalidInputError(
                        f"storage.binary.put({key!r}): the file object returned {type(chunk).__name__}; "
                        "open it in binary mode ('rb')"
                    )
                target.write(chunk)

    def get(self, key: str, default: Any = MISSING) -> Any:
        """The bytes under ``key``; ``default`` (called when callable) or ``FileNotFoundError``."""
        object_key = self._object_key(key)
        try:
            return self._backend.read(object_key)
        except ObjectNotFoundError:
            return self._missing(key, default)

    def open(
        self,
        key: str,
        mode: Literal["rb", "wb"] = "rb",
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> IO[bytes]:
        """A binary file object on the object: ``"rb"`` streams it, ``"wb"`` replaces it on close.

        Memory stays bounded (one chunk, or one multipart part on S3). Leaving a ``"wb"``
        ``with`` block on an exception keeps the old value. ``FileNotFoundError`` for a missing
        key in ``"rb"`` mode.
        """
        object_key = self._object_key(key)
        if mode == "rb":
            if content_type is not None or metadata is not None:
                raise InvalidInputError("content_type and metadata are only for mode='wb'")
            return self._backend.open_read(object_key)
        if mode == "wb":
            return self._backend.open_write(
                object_key, content_type=_check_content_type(content_type), metadata=_check_metadata(metadata)
            )
        raise InvalidInputError(f"storage.binary.open() mode must be 'rb' or 'wb', not {mode!r}")

    def download(self, key: str, file: IO[bytes]) -> int:
        """Copy the object into the writable binary ``file`` (streamed); return the byte count."""
        object_key = self._object_key(key)
        if not callable(getattr(file, "write", None)):
            raise InvalidInputError("storage.binary.download() needs a writable binary file object")
        with self._backend.open_read(object_key) as source:
            start = file.tell() if file.seekable() else None
            shutil.copyfileobj(source, file, _CHUNK)
            return file.tell() - start if start is not None else self._backend.info(object_key).size

    def info(self, key: str) -> ObjectInfo:
        """Size, modified time, content type and metadata; ``FileNotFoundError`` when missing."""
        info = self._backend.info(self._object_key(key))
        return ObjectInfo(key, info.size, info.modified, info.content_type, dict(info.metadata))

    def presign(self, key: str, method: str = "GET", expires: Duration = 3600) -> str:
        """A URL that lets anyone ``GET`` (or ``PUT``) the object for ``expires`` (seconds, "15m"...).

        Only backends that support it (S3) can; others raise
        :class:`~tausestack.core.UnsupportedOperationError`.
        """
        object_key = self._object_key(key)
        verb = _METHODS.get(method)
        if verb is None:
            raise InvalidInputError(f"presign method must be 'GET' or 'PUT', not {method!r}")
        seconds = parse_duration(expires, name="expires")
        if not 1 <= seconds <= 7 * 86400:
            raise InvalidInputError("presign expires must be between 1 second and 7 days")
        return self._backend.presign(object_key, verb, seconds)

    aput = async_twin(put)
    aget = async_twin(get)
    aopen = async_twin(open)
    adownload = async_twin(download)
    ainfo = async_twin(info)
    apresign = async_twin(presign)
