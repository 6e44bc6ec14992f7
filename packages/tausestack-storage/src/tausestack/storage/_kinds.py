"""The kinds every :class:`~tausestack.storage.Storage` has: what they share, ``json`` and ``text``.

Each kind has its own key space (``report`` as JSON and ``report`` as binary are two objects):
it stores key ``k`` as the backend object ``<kind>/k``. Keys are validated before any I/O.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable
from typing import Any, ClassVar, Final

from tausestack.core import InvalidInputError, ObjectNotFoundError, async_twin
from tausestack.storage._backend import StorageBackend, StorageEntry
from tausestack.storage._keys import validate_key, validate_prefix

__all__ = ["MISSING", "StorageKind", "JsonStorage", "TextStorage"]


class _Missing:
    def __repr__(self) -> str:
        return "<no default>"


MISSING: Final[Any] = _Missing()

# Built once: json.dumps() with options builds a new encoder on every call.
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class StorageKind:
    """What every kind shares: ``delete``, ``exists``, ``list`` and the missing-key rule."""

    namespace: ClassVar[str] = ""

    def __init__(self, backend: StorageBackend) -> None:
        self._backend = backend

    def __repr__(self) -> str:
        return f"<{type(self).__name__} on {self._backend.describe()}>"

    def _object_key(self, key: str) -> str:
        return f"{self.namespace}/{validate_key(key)}"

    def _missing(self, key: str, default: Any) -> Any:
        if default is MISSING:
            raise ObjectNotFoundError(
                f"no {self.namespace} object under key {key!r} "
                "(pass default=... to get a value instead of this error)"
            )
        if callable(default):
            return default()
        return default

    def delete(self, key: str) -> bool:
        """Delete ``key``; True when it existed, False when it did not.

        >>> storage.json.delete("settings")
        True
        """
        return self._backend.delete(self._object_key(key))

    def exists(self, key: str) -> bool:
        """Whether ``key`` holds an object of this kind."""
        return self._backend.exists(self._object_key(key))

    def list(self, prefix: str = "") -> builtins.list[StorageEntry]:
        """The objects of this kind whose key starts with ``prefix``, sorted by key.

        Each :class:`StorageEntry` has ``name`` (the key), ``size``, ``modified`` and
        ``content_type``.

        >>> [entry.name for entry in storage.json.list("reports/")]
        ['reports/2024', 'reports/2025']
        """
        full = f"{self.namespace}/{validate_prefix(prefix)}"
        strip = len(self.namespace) + 1
        entries = [
            StorageEntry(entry.name[strip:], entry.size, entry.modified, entry.content_type)
            for entry in self._backend.iter_entries(full)
        ]
        entries.sort(key=lambda entry: entry.name)
        return entries

    adelete = async_twin(delete)
    aexists = async_twin(exists)
    alist = async_twin(list)


class JsonStorage(StorageKind):
    """Any JSON value (dict, list, str, number, bool, None) under a key.

    >>> storage.json.put("settings", {"theme": "dark"})
    >>> storage.json.get("settings")
    {'theme': 'dark'}
    >>> storage.json.get("missing", default=dict)
    {}
    """

    namespace = "json"

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` as JSON. :class:`InvalidInputError` (nothing written) when it is not
        JSON-serialisable (sets, bytes, NaN...)."""
        object_key = self._object_key(key)
        try:
            data = _ENCODER.encode(value).encode()
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"storage.json.put({key!r}): the value is not JSON-serialisable: {exc}"
            ) from None
        self._backend.write(object_key, data)

    def get(self, key: str, default: Any = MISSING) -> Any:
        """The JSON value under ``key``.

        When missing: ``default`` (called when callable), or ``FileNotFoundError``
        (:class:`~tausestack.core.ObjectNotFoundError`) when no default is given.
        """
        object_key = self._object_key(key)
        try:
            data = self._backend.read(object_key)
        except ObjectNotFoundError:
            return self._missing(key, default)
        return json.loads(data)

    aput = async_twin(put)
    aget = async_twin(get)


class TextStorage(StorageKind):
    """UTF-8 text under a key.

    >>> storage.text.put("notes/today", "hola")
    >>> storage.text.get("notes/today")
    'hola'
    """

    namespace = "text"

    def put(self, key: str, value: str) -> None:
        """Store ``value`` (a ``str``; anything else is :class:`InvalidInputError`)."""
        object_key = self._object_key(key)
        if not isinstance(value, str):
            raise InvalidInputError(f"storage.text.put({key!r}) needs a str, not {type(value).__name__}")
        self._backend.write(object_key, value.encode("utf-8", "surrogatepass"))

    def get(self, key: str, default: str | Callable[[], Any] | None = MISSING) -> Any:
        """The text under ``key``; ``default`` or ``FileNotFoundError`` when missing."""
        object_key = self._object_key(key)
        try:
            data = self._backend.read(object_key)
        except ObjectNotFoundError:
            return self._missing(key, default)
        return data.decode("utf-8", "surrogatepass")

    aput = async_twin(put)
    aget = async_twin(get)
