"""Attachments from bytes, text, files, storage keys and DataFrames; inline images by ``cid``."""

from __future__ import annotations

import importlib
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tausestack.core import ConfigurationError, InvalidInputError
from tausestack.notify._addresses import check_header

__all__ = ["Attachment", "StorageKey", "attachment"]

_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*$")
_CID = re.compile(r"^[A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+)?$")


@dataclass(frozen=True)
class StorageKey:
    """An attachment read from :mod:`tausestack.storage` (``binary`` kind) when it is built.

    ``storage`` is a ``Storage`` instance; the module default is used when it is ``None``.

    >>> notify.attachment(StorageKey("reports/q1.pdf"), file_name="q1.pdf")  # doctest: +SKIP
    """

    key: str
    storage: Any = field(default=None, compare=False)


@dataclass(frozen=True, repr=False)
class Attachment:
    """A file attached to a message, or shown inline in the HTML when ``cid`` is set."""

    content: bytes
    file_name: str
    content_type: str
    cid: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def maintype(self) -> str:
        return self.content_type.split("/", 1)[0]

    @property
    def subtype(self) -> str:
        return self.content_type.split("/", 1)[1]

    def __repr__(self) -> str:
        inline = f", cid={self.cid!r}" if self.cid else ""
        return f"Attachment({self.file_name!r}, {self.content_type!r}, {self.size} bytes{inline})"


def attachment(
    content: bytes | bytearray | memoryview | str | os.PathLike[str] | StorageKey | Any,
    *,
    file_name: str | None = None,
    content_type: str | None = None,
    cid: str | None = None,
) -> Attachment:
    """Build an attachment, reading its content now.

    ``content`` may be ``bytes``; ``str`` (text, sent as UTF-8); a :class:`pathlib.Path` (the
    file is read; ``file_name`` defaults to its name); a :class:`StorageKey` (read from
    ``tausestack.storage``); a pandas or polars DataFrame (sent as CSV); or a binary file object.
    ``content_type`` is guessed from ``file_name`` when omitted. ``cid`` makes it an inline part
    the HTML body shows with ``<img src="cid:...">``.

    Raises :class:`~tausestack.core.InvalidInputError` for a missing file name or a bad
    content type / cid, ``FileNotFoundError`` for a missing file or storage key.

    >>> attachment(b"%PDF-1.7...", file_name="report.pdf").content_type
    'application/pdf'
    """
    default_type = "application/octet-stream"
    if isinstance(content, (bytes, bytearray, memoryview)):
        data = bytes(content)
    elif isinstance(content, str):
        data, default_type = content.encode(), "text/plain"
    elif isinstance(content, StorageKey):
        data = _from_storage(content)
        file_name = file_name or content.key.rsplit("/", 1)[-1]
    elif isinstance(content, os.PathLike):
        path = Path(content)
        data = path.read_bytes()
        file_name = file_name or path.name
    elif _is_dataframe(content):
        data, default_type = _dataframe_csv(content), "text/csv"
    elif callable(getattr(content, "read", None)):
        raw = content.read()
        data = raw.encode() if isinstance(raw, str) else bytes(raw)
        file_name = file_name or Path(str(getattr(content, "name", "") or "")).name or None
    else:
        raise InvalidInputError(
            f"attachment content must be bytes, str, a Path, a StorageKey, a DataFrame or a file object, "
            f"not {type(content).__name__}"
        )
    if not file_name:
        raise InvalidInputError("attachment() needs file_name=")
    check_header(file_name, "attachment file_name")
    if content_type is None:
        guessed, _ = mimetypes.guess_type(file_name)
        content_type = guessed or default_type
    if not _CONTENT_TYPE.match(content_type):
        raise InvalidInputError(
            f"attachment content_type {content_type!r} is not a MIME type like 'image/png'"
        )
    if cid is not None:
        check_header(cid, "attachment cid")
        cid = cid.strip("<>")
        if not _CID.match(cid):
            raise InvalidInputError(f"attachment cid {cid!r} may hold letters, digits and ._%+-@ only")
    return Attachment(content=data, file_name=file_name, content_type=content_type.lower(), cid=cid)


def _from_storage(ref: StorageKey) -> bytes:
    store = ref.storage
    if store is None:
        try:
            store = importlib.import_module("tausestack.storage")
        except ImportError:
            raise ConfigurationError(
                "attachments from storage keys need tausestack-storage: pip install tausestack-storage"
            ) from None
    data = store.binary.get(ref.key)
    if not isinstance(data, (bytes, bytearray)):
        raise InvalidInputError(f"storage key {ref.key!r} did not hold bytes")
    return bytes(data)


def _is_dataframe(value: Any) -> bool:
    module = type(value).__module__
    return (module.startswith("pandas") and hasattr(value, "to_csv")) or (
        module.startswith("polars") and hasattr(value, "write_csv")
    )


def _dataframe_csv(frame: Any) -> bytes:
    text = frame.to_csv(index=False) if hasattr(frame, "to_csv") else frame.write_csv()
    return str(text).encode()
