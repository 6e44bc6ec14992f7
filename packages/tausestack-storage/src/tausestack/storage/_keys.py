"""Storage keys: validated before any I/O, and :func:`sanitize_key` for arbitrary text.

A key is one or more segments joined by ``/``; a segment is letters, digits, ``.``, ``_`` and
``-``, is not ``.`` or ``..`` and is at most 200 bytes; the whole key is at most 1024 bytes.
So ``reports/2024/q1.json`` is a key and ``../x``, ``/etc/passwd``, ``a//b``, ``C:\\x`` are not.
"""

from __future__ import annotations

import re
import unicodedata

from tausestack.core import InvalidKeyError

__all__ = ["MAX_KEY_BYTES", "MAX_SEGMENT_BYTES", "validate_key", "validate_prefix", "sanitize_key"]

MAX_KEY_BYTES = 1024
MAX_SEGMENT_BYTES = 200

# The whole rule in one pattern (segments of 1-200 allowed characters, none "." or ".."), so a
# valid key costs a single match; _KEY and the checks below explain why an invalid one is refused.
_VALID_SEGMENT = rf"(?!\.\.?(?:/|\Z))[A-Za-z0-9._-]{{1,{MAX_SEGMENT_BYTES}}}"
_VALID = re.compile(rf"{_VALID_SEGMENT}(?:/{_VALID_SEGMENT})*")
_KEY = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
_PREFIX = re.compile(r"(?:[A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*")
_BAD_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _describe(key: str) -> str:
    # Never echo control characters or kilobytes of input into an error message.
    shown = _CONTROL.sub("?", key)
    return repr(shown if len(shown) <= 80 else shown[:77] + "...")


def validate_key(key: object) -> str:
    """Return ``key`` when it is a valid storage key; raise :class:`InvalidKeyError` otherwise.

    >>> validate_key("reports/2024/q1.json")
    'reports/2024/q1.json'
    """
    if isinstance(key, str) and len(key) <= MAX_KEY_BYTES and _VALID.fullmatch(key) is not None:
        return key
    if not isinstance(key, str):
        raise InvalidKeyError(f"a storage key must be a str, not {type(key).__name__}")
    if _KEY.fullmatch(key) is None:
        raise InvalidKeyError(_why(key))
    if len(key) > MAX_KEY_BYTES:
        raise InvalidKeyError(f"storage key {_describe(key)} is longer than {MAX_KEY_BYTES} bytes")
    for segment in key.split("/"):
        if segment in (".", ".."):
            raise InvalidKeyError(f"storage key {_describe(key)} contains a '{segment}' segment")
        if len(segment) > MAX_SEGMENT_BYTES:
            raise InvalidKeyError(
                f"storage key {_describe(key)} has a segment longer than {MAX_SEGMENT_BYTES} bytes"
            )
    return key


def validate_prefix(prefix: object) -> str:
    """Return ``prefix`` when it can start keys (``""``, ``"rep"``, ``"reports/"``)."""
    if not isinstance(prefix, str):
        raise InvalidKeyError(f"a storage prefix must be a str, not {type(prefix).__name__}")
    if _PREFIX.fullmatch(prefix) is None or len(prefix) > MAX_KEY_BYTES:
        raise InvalidKeyError(f"storage prefix {_describe(prefix)} is not valid: {_why(prefix)}")
    if any(segment in (".", "..") for segment in prefix.split("/")[:-1]):
        raise InvalidKeyError(f"storage prefix {_describe(prefix)} contains a '.' or '..' segment")
    return prefix


def _why(key: str) -> str:
    described = _describe(key)
    if key == "":
        return "a storage key cannot be empty"
    if _CONTROL.search(key):
        return f"storage key {described} contains a control character"
    if key.startswith("/"):
        return f"storage key {described} is an absolute path; keys are relative (drop the leading '/')"
    if "\\" in key or re.match(r"[A-Za-z]:", key):
        return f"storage key {described} looks like a Windows path; use '/' between segments"
    if "//" in key or key.endswith("/"):
        return f"storage key {described} has an empty segment; '/' must separate non-empty segments"
    return (
        f"storage key {described} contains characters other than letters, digits, '.', '_', '-' "
        "and '/'; use sanitize_key() to turn arbitrary text into a key"
    )


def sanitize_key(text: str) -> str:
    """Turn arbitrary text into a valid storage key.

    Accents are folded to ASCII, control characters dropped, each run of other characters becomes ``_``, ``/`` and ``\\``
    separate segments, and empty, ``.`` and ``..`` segments are dropped. Raises
    :class:`InvalidKeyError` when nothing usable is left.

    >>> sanitize_key("../Informe de Año 2024/ventas (final).csv")
    'Informe_de_Ano_2024/ventas_final_.csv'
    """
    if not isinstance(text, str):
        raise InvalidKeyError(f"sanitize_key() needs a str, not {type(text).__name__}")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = _CONTROL.sub("", folded)
    segments = []
    for raw in re.split(r"[/\\]+", folded):
        segment = _BAD_RUN.sub("_", raw.strip())
        if segment and segment not in (".", ".."):
            segments.append(segment[:MAX_SEGMENT_BYTES])
    key = "/".join(segments)
    while len(key) > MAX_KEY_BYTES and "/" in key:
        key = key.split("/", 1)[1]
    key = key[:MAX_KEY_BYTES]
    if not key:
        raise InvalidKeyError(f"sanitize_key({_describe(text)}) leaves nothing usable as a key")
    return validate_key(key)
