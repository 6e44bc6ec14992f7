"""Logging that never leaks a secret.

Every logger from :func:`get_logger` carries a :class:`RedactingFilter`, so TauseStack's own log
lines are redacted whatever handlers the app installs. Apps can attach the same filter to their
handlers to redact their own lines too::

    handler.addFilter(RedactingFilter())
    register_secret(api_key)        # this exact value is now always shown as ***
"""

from __future__ import annotations

import logging
import re
import threading

from tausestack.core._urls import redact_url

__all__ = ["get_logger", "register_secret", "redact", "RedactingFilter", "REDACTED"]

REDACTED = "***"
_MIN_SECRET_LENGTH = 4

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_secrets_pattern: re.Pattern[str] | None = None

_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_ASSIGNMENT = re.compile(
    r"(?i)(?P<key>[\"']?[A-Za-z0-9_-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_-]*[\"']?)"
    r"(?P<sep>\s*[:=]\s*)(?P<quote>[\"']?)(?P<value>[^\s\"',;&}]+)"
)

logging.getLogger("tausestack").addHandler(logging.NullHandler())


def register_secret(value: str | bytes | None) -> None:
    """Always show ``value`` as ``***`` in redacted text (values shorter than 4 are ignored)."""
    global _secrets_pattern
    if value is None:
        return
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if len(text) < _MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        if text in _secrets:
            return
        _secrets.add(text)
        ordered = sorted(_secrets, key=len, reverse=True)
        _secrets_pattern = re.compile("|".join(re.escape(item) for item in ordered))


def redact(text: str) -> str:
    """Hide registered secrets, URL passwords, bearer tokens, JWTs and ``password=...`` pairs.

    >>> redact("connect postgresql://app:s3cret@db/app with token=abc123")
    'connect postgresql://app:***@db/app with token=***'
    """
    pattern = _secrets_pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = redact_url(text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _ASSIGNMENT.sub(lambda m: f"{m.group('key')}{m.group('sep')}{m.group('quote')}{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_filter = RedactingFilter()


def get_logger(name: str) -> logging.Logger:
    """A logger under ``tausestack.`` whose records are always redacted."""
    full = name if name == "tausestack" or name.startswith("tausestack.") else f"tausestack.{name}"
    logger = logging.getLogger(full)
    if _filter not in logger.filters:
        logger.addFilter(_filter)
    return logger
