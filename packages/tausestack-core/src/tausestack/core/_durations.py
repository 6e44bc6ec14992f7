"""Durations as seconds, from numbers, :class:`~datetime.timedelta` or strings like ``"5m"``."""

from __future__ import annotations

import re
from datetime import timedelta

from tausestack.core._errors import InvalidInputError

__all__ = ["Duration", "parse_duration"]

Duration = float | int | timedelta | str

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")


def parse_duration(value: Duration, *, name: str = "duration") -> float:
    """Return ``value`` in seconds.

    Accepts seconds as ``int``/``float``, a ``timedelta``, or a string of one or more
    ``<number><unit>`` parts with units ``ms s m h d w`` (``"90s"``, ``"1h30m"``, ``"250ms"``);
    a bare number string is seconds. Negative values, ``bool`` and anything else raise
    :class:`~tausestack.core.InvalidInputError` naming ``name``.

    >>> parse_duration("1h30m")
    5400.0
    """
    if isinstance(value, bool):
        raise InvalidInputError(f"{name} must be seconds, a timedelta or a string like '5m', not a bool")
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value.strip().lower(), name)
    else:
        raise InvalidInputError(
            f"{name} must be seconds, a timedelta or a string like '5m', not {type(value).__name__}"
        )
    if seconds < 0 or seconds != seconds:  # NaN check
        raise InvalidInputError(f"{name} must not be negative, got {value!r}")
    return seconds


def _parse_text(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        pass
    pos, total = 0, 0.0
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not text or pos != len(text):
        raise InvalidInputError(
            f"{name} {text!r} is not a duration; use seconds or parts like '90s', '5m', '2h', '1h30m'"
        )
    return total
