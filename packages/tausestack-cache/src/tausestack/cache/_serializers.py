"""How values become bytes for backends that store bytes (Redis, disk).

The memory backend keeps Python objects as they are and never serializes.

Payload formats, told apart by their first byte so a backend never guesses:

* JSON (the default): plain UTF-8 JSON text, so a counter written by Redis ``INCRBY`` is valid JSON.
* msgpack: ``0x01`` + msgpack bytes (handles ``bytes``; needs ``tausestack-cache[msgpack]``).
* pickle, only when configured explicitly: ``0x02`` + HMAC-SHA256 of the pickle (32 bytes) + the
  pickle. The signature is checked with :func:`hmac.compare_digest` before anything is unpickled;
  an unsigned or tampered payload raises :class:`PayloadRejectedError` and is never loaded.

Every serializer also reads a bare ASCII integer (what ``incr`` leaves in Redis) as an ``int``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, ClassVar

from tausestack.cache._errors import PayloadRejectedError, SerializationError
from tausestack.core import ConfigurationError

__all__ = [
    "Serializer",
    "JSONSerializer",
    "MsgpackSerializer",
    "PickleSerializer",
    "serializer_named",
    "serializer_from_url",
]

_MSGPACK = 0x01
_PICKLE = 0x02
_INTEGER = re.compile(rb"-?\d{1,20}")
_MIN_KEY_BYTES = 16


def _as_int(data: bytes) -> int | None:
    if data[:1] in (b"-", b"0", b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9") and _INTEGER.fullmatch(
        data
    ):
        return int(data)
    return None


class Serializer(ABC):
    """Turns values into bytes and back. Subclass it to add a format."""

    name: ClassVar[str]

    @abstractmethod
    def dumps(self, value: Any) -> bytes:
        """Encode ``value``; :class:`SerializationError` when it cannot be encoded."""

    @abstractmethod
    def loads(self, data: bytes) -> Any:
        """Decode ``data``; :class:`PayloadRejectedError` when it is not a payload of this format."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class JSONSerializer(Serializer):
    """JSON text (the default). Tuples come back as lists; ``bytes`` are refused."""

    name = "json"

    def __init__(self) -> None:
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        self._encode: Callable[[Any], str] = encoder.encode
        if c_make_encoder is not None:
            # the C encoder built once (JSONEncoder.encode builds one per call); no cycle
            # markers: a cyclic value fails with RecursionError, reported like any other refusal
            chunks = c_make_encoder(
                None, encoder.default, encode_basestring, None, ":", ",", False, False, False
            )
            self._encode = lambda value: "".join(chunks(value, 0))
        self._decode = json.JSONDecoder().decode

    def dumps(self, value: Any) -> bytes:
        try:
            return self._encode(value).encode()
        except (TypeError, ValueError, RecursionError) as exc:
            raise SerializationError(
                f"cannot store a {type(value).__name__} as JSON ({exc}); convert it first "
                "(for example model.model_dump()) or configure ?serializer=msgpack"
            ) from None

    def loads(self, data: bytes) -> Any:
        try:
            return self._decode(data.decode())
        except (ValueError, UnicodeDecodeError):
            raise PayloadRejectedError(
                "a cached payload is not JSON (written with another serializer?); refused"
            ) from None


class MsgpackSerializer(Serializer):
    """msgpack (``tausestack-cache[msgpack]``): compact, and stores ``bytes`` as they are."""

    name = "msgpack"

    def __init__(self) -> None:
        try:
            import msgpack
        except ImportError:
            raise ConfigurationError(
                "the msgpack serializer needs msgpack: pip install 'tausestack-cache[msgpack]'"
            ) from None
        self._packb = msgpack.packb
        self._unpackb = msgpack.unpackb

    def dumps(self, value: Any) -> bytes:
        try:
            packed: bytes = self._packb(value, use_bin_type=True)
        except (TypeError, ValueError, OverflowError) as exc:
            raise SerializationError(f"cannot store a {type(value).__name__} with msgpack ({exc})") from None
        return b"\x01" + packed

    def loads(self, data: bytes) -> Any:
        if data[:1] == b"\x01":
            try:
                return self._unpackb(data[1:], raw=False, strict_map_key=False)
            except Exception:
                raise PayloadRejectedError("a cached msgpack payload is corrupt; refused") from None
        number = _as_int(data)
        if number is not None:
            return number
        raise PayloadRejectedError(
            "a cached payload is not msgpack (written with another serializer?); refused"
        )


class PickleSerializer(Serializer):
    """Pickle signed with HMAC-SHA256: any Python object, for caches only your app writes.

    Only use it when you need to cache objects JSON and msgpack cannot hold. The key must be
    secret and at least 16 bytes; set it with ``TAUSESTACK_CACHE_SIGNING_KEY`` (it may say
    ``secret:NAME``). A payload that is unsigned or signed with another key is refused before
    unpickling.

    >>> s = PickleSerializer(key="a-long-random-signing-key")
    >>> s.loads(s.dumps({1, 2}))
    {1, 2}
    """

    name = "pickle"

    def __init__(self, key: str | bytes) -> None:
        raw = key.encode() if isinstance(key, str) else bytes(key)
        if len(raw) < _MIN_KEY_BYTES:
            raise ConfigurationError(
                f"the pickle serializer needs a signing key of at least {_MIN_KEY_BYTES} bytes "
                "(set TAUSESTACK_CACHE_SIGNING_KEY, for example to secret:cache-signing-key)"
            )
        self._key = raw

    def __repr__(self) -> str:
        return "PickleSerializer(key=***)"

    def _sign(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, hashlib.sha256).digest()

    def dumps(self, value: Any) -> bytes:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            raise SerializationError(f"cannot pickle a {type(value).__name__} ({exc})") from None
        return b"\x02" + self._sign(data) + data

    def loads(self, data: bytes) -> Any:
        if data[:1] == b"\x02" and len(data) > 33:
            signature, body = data[1:33], data[33:]
            if hmac.compare_digest(signature, self._sign(body)):
                return pickle.loads(body)  # noqa: S301 - the HMAC proves we wrote it
            raise PayloadRejectedError("a cached pickle payload has a bad signature (tampered?); refused")
        number = _as_int(data)
        if number is not None:
            return number
        raise PayloadRejectedError("a cached payload is not a signed pickle; refused without loading it")


def serializer_named(
    name: str, *, signing_key: str | bytes | None = None, variable: str = "serializer"
) -> Serializer:
    """The serializer called ``name`` (``json``, ``msgpack`` or ``pickle``).

    ``pickle`` needs ``signing_key``; :class:`ConfigurationError` otherwise.
    """
    lowered = name.strip().lower()
    if lowered == "json":
        return JSONSerializer()
    if lowered == "msgpack":
        return MsgpackSerializer()
    if lowered == "pickle":
        if not signing_key:
            raise ConfigurationError(
                f"{variable}=pickle needs a signing key: set TAUSESTACK_CACHE_SIGNING_KEY "
                "(for example to secret:cache-signing-key); unsigned pickle is never used"
            )
        return PickleSerializer(signing_key)
    raise ConfigurationError(f"{variable}: unknown serializer {name!r}; use json, msgpack or pickle")


def serializer_from_url(option: str | None, *, variable: str) -> Serializer:
    """The serializer a backend URL's ``?serializer=`` (or ``TAUSESTACK_CACHE_SERIALIZER``) names."""
    from tausestack.cache._settings import CacheSettings

    settings = CacheSettings()
    key = settings.signing_key.get_secret_value() if settings.signing_key is not None else None
    return serializer_named(option or settings.serializer, signing_key=key, variable=variable)
