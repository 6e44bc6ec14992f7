"""Key, namespace and tag checks, and glob escaping shared by the cache and its backends."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tausestack.core import InvalidInputError, InvalidKeyError

__all__ = ["MAX_KEY_LENGTH", "bad_key", "check_namespace", "check_tags", "glob_escape"]

MAX_KEY_LENGTH = 1024
_GLOB = re.compile(r"([*?\[\\])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def bad_key(key: object) -> InvalidKeyError:
    """The error for a key that is not a non-empty ``str`` of at most 1024 characters."""
    if not isinstance(key, str):
        return InvalidKeyError(f"cache keys must be str, not {type(key).__name__}")
    if not key:
        return InvalidKeyError("cache keys must not be empty")
    return InvalidKeyError(f"cache keys must be at most {MAX_KEY_LENGTH} characters, got {len(key)}")


def check_namespace(namespace: str) -> str:
    """``namespace`` if it is a usable namespace, else :class:`InvalidKeyError`."""
    if not isinstance(namespace, str) or not namespace or _CONTROL.search(namespace):
        raise InvalidKeyError(
            f"a cache namespace must be a non-empty str without control characters: {namespace!r}"
        )
    if len(namespace) > MAX_KEY_LENGTH // 2:
        raise InvalidKeyError("a cache namespace must be at most 512 characters")
    return namespace


def check_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """``tags`` as a tuple after checking each is a non-empty str without control characters."""
    if isinstance(tags, str):
        raise InvalidInputError("tags must be a list of str, not a single str (use tags=[...])")
    checked = tuple(tags)
    for tag in checked:
        if not isinstance(tag, str) or not tag or len(tag) > MAX_KEY_LENGTH or _CONTROL.search(tag):
            raise InvalidInputError(
                f"a cache tag must be a non-empty str without control characters: {tag!r}"
            )
    return checked


def glob_escape(text: str) -> str:
    """``text`` with glob characters escaped in a way both :mod:`fnmatch` and Redis accept."""
    return _GLOB.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group(1)
    # a backslash is doubled inside the class: Redis reads "\\" as one escaped backslash and
    # fnmatch reads a class of two backslashes; both then match exactly one backslash.
    return "[\\\\]" if char == "\\" else f"[{char}]"
