"""Structured logging for apps: JSON lines (or text) with the request ID on every record."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import Any, TextIO

from tausestack.core import RedactingFilter
from tausestack.web._context import current_request_id

__all__ = ["JsonFormatter", "RequestIdFilter", "configure_logging"]

_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime", "request_id"}
)
_MARK = "_tausestack_web_handler"


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (the current request's ID, or ``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id and request_id != "-":
            payload["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = record.exc_text or self.formatException(record.exc_info)
        elif record.exc_text:
            payload["exception"] = record.exc_text
        return json.dumps(payload, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record (test runners swap it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:  # StreamHandler.__init__ assigns it
        pass


def configure_logging(
    *, log_format: str = "json", level: str = "INFO", stream: TextIO | None = None
) -> logging.Handler:
    """Install (or replace) one handler on the ``tausestack`` logger; returns it.

    Idempotent: calling it again swaps the previous handler. Records are redacted and carry
    the request ID. The app's own loggers can use the same handler (``logging.getLogger("app")
    .addHandler(handler)``) or log under ``tausestack.app``.

    >>> handler = configure_logging(log_format="text", level="WARNING")
    """
    logger = logging.getLogger("tausestack")
    for existing in list(logger.handlers):
        if getattr(existing, _MARK, False):
            logger.removeHandler(existing)
    handler: logging.Handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    setattr(handler, _MARK, True)
    handler.addFilter(RedactingFilter())
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler
