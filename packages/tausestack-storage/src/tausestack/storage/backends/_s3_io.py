"""Streaming file objects over S3: a reader on ``GetObject``'s body and a multipart writer."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["S3Reader", "S3Writer"]


class S3Reader(io.RawIOBase):
    """Reads a ``GetObject`` streaming body chunk by chunk (wrap it in :class:`io.BufferedReader`)."""

    def __init__(self, body: Any, on_error: Callable[[Exception], Exception]) -> None:
        self._body = body
        self._on_error = on_error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._body.read(len(view))
        except Exception as exc:
            raise self._on_error(exc) from None
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class S3Writer(io.RawIOBase):
    """Buffers one part at a time: a single ``PutObject`` when the object stays under
    ``part_size``, a multipart upload otherwise (memory stays at about one part). ``close()``
    completes the upload; leaving a ``with`` block on an exception aborts it."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        key: str,
        *,
        part_size: int,
        content_type: str,
        metadata: Mapping[str, str] | None,
        on_error: Callable[[Exception], Exception],
    ) -> None:
        self._client = client
        self._bucket = bucket
        self._key = key
        self._part_size = part_size
        self._extra: dict[str, Any] = {"ContentType": content_type, "Metadata": dict(metadata or {})}
        self._on_error = on_error
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []
        self._written = 0
        self._finished = False

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._written

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed S3 object writer")
        view = memoryview(data).cast("B")
        self._buffer += view
        self._written += len(view)
        while len(self._buffer) >= self._part_size:
            self._upload_part(bytes(self._buffer[: self._part_size]))
            del self._buffer[: self._part_size]
        return len(view)

    def _upload_part(self, data: bytes) -> None:
        try:
            if self._upload_id is None:
                response = self._client.create_multipart_upload(
                    Bucket=self._bucket, Key=self._key, **self._extra
                )
                self._upload_id = str(response["UploadId"])
            number = len(self._parts) + 1
            response = self._client.upload_part(
                Bucket=self._bucket, Key=self._key, UploadId=self._upload_id, PartNumber=number, Body=data
            )
            self._parts.append({"PartNumber": number, "ETag": response["ETag"]})
        except Exception as exc:
            self.abort()
            raise self._on_error(exc) from None

    def close(self) -> None:
        """Complete the upload: the object appears with everything written."""
        if self.closed or self._finished:
            super().close()
            return
        self._finished = True
        try:
            if self._upload_id is None:
                try:
                    self._client.put_object(
                        Bucket=self._bucket, Key=self._key, Body=bytes(self._buffer), **self._extra
                    )
                except Exception as exc:
                    raise self._on_error(exc) from None
            else:
                if self._buffer:
                    self._finished = False
                    self._upload_part(bytes(self._buffer))
                    self._finished = True
                try:
                    self._client.complete_multipart_upload(
                        Bucket=self._bucket,
                        Key=self._key,
                        UploadId=self._upload_id,
                        MultipartUpload={"Parts": self._parts},
                    )
                except Exception as exc:
                    self.abort()
                    raise self._on_error(exc) from None
        finally:
            self._buffer = bytearray()
            super().close()

    def abort(self) -> None:
        """Drop everything written; the previous object (if any) stays."""
        self._finished = True
        self._buffer = bytearray()
        if self._upload_id is not None:
            upload_id, self._upload_id = self._upload_id, None
            # Best effort: an abort that fails leaves an upload for S3 lifecycle rules to clean up.
            with contextlib.suppress(Exception):
                self._client.abort_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=upload_id)
        super().close()

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()

    def __del__(self) -> None:
        if not getattr(self, "_finished", True):
            self.abort()
