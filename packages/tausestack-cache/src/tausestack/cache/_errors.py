"""Errors specific to the cache; each derives from the shared :mod:`tausestack.core` hierarchy."""

from __future__ import annotations

from tausestack.core import InvalidInputError, TauseStackError

__all__ = ["SerializationError", "PayloadRejectedError"]


class SerializationError(InvalidInputError):
    """The value cannot be stored with the configured serializer; nothing was written.

    JSON stores ``None``, booleans, numbers, strings, lists and dicts with string keys. Use the
    msgpack serializer for ``bytes``, or convert the value (``model.model_dump()``) first.
    """


class PayloadRejectedError(TauseStackError):
    """A stored payload was refused without being deserialized.

    Raised when a pickle payload is unsigned or its signature does not match the signing key
    (tampering, or a key change), or when a payload is not in the configured format.
    """
