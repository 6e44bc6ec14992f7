"""JWT verification on ``cryptography`` directly: strict, and faster than a general decoder.

Every failure is an :class:`~tausestack.auth.InvalidTokenError` (a 401) whose message names the
check that failed and never contains the token. What is checked, in order: the token is text of
at most ``max_length`` characters in exactly three base64url segments; the header is a JSON
object with no ``crit`` extension; the key is found by ``kid`` and its *own* algorithm must
equal the header's ``alg`` (so ``none`` and HS256-with-a-public-key never verify); the signature;
then ``exp`` (required), ``nbf``, ``iat``, ``iss``, ``aud`` and ``sub`` (required), with ``leeway``
seconds of clock skew.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from tausestack.auth._errors import InvalidTokenError
from tausestack.auth._keys import VerificationKey

__all__ = ["TokenVerifier", "KeyLookup", "DEFAULT_MAX_TOKEN_LENGTH", "DEFAULT_LEEWAY"]

DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024
DEFAULT_LEEWAY = 10.0

#: ``(kid, alg) -> key``; ``None`` when no key fits. May fetch (JWKS refresh on unknown kid).
KeyLookup = Callable[[str | None, str], VerificationKey | None]

_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def _segment(text: str, what: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidTokenError(f"token {what} is not valid base64url") from None


def _object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_segment(text, what))
    except (ValueError, RecursionError):
        raise InvalidTokenError(f"token {what} is not JSON") from None
    if type(value) is not dict:
        raise InvalidTokenError(f"token {what} is not a JSON object")
    return value


def _number(payload: dict[str, Any], claim: str) -> float | None:
    value = payload.get(claim)
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value):
        raise InvalidTokenError(f"token claim {claim!r} is not a number")
    return float(value)


class TokenVerifier:
    """Verifies compact JWS tokens against keys found by ``kid``.

    ``issuer`` / ``audience``: the accepted value(s), or ``None`` to skip that check.
    ``require_kid``: refuse tokens without a ``kid`` header (JWKS-backed keys).

    >>> verifier = TokenVerifier(lookup, issuer="https://issuer", audience="api")  # doctest: +SKIP
    >>> claims = verifier.decode(token)                                            # doctest: +SKIP
    """

    __slots__ = ("_audience", "_issuer", "_lookup", "leeway", "max_length")

    def __init__(
        self,
        lookup: KeyLookup,
        *,
        issuer: str | Sequence[str] | None,
        audience: str | Sequence[str] | None,
        leeway: float = DEFAULT_LEEWAY,
        max_length: int = DEFAULT_MAX_TOKEN_LENGTH,
    ) -> None:
        self._lookup = lookup
        self._issuer = None if issuer is None else frozenset([issuer] if isinstance(issuer, str) else issuer)
        self._audience = (
            None if audience is None else frozenset([audience] if isinstance(audience, str) else audience)
        )
        self.leeway = float(leeway)
        self.max_length = max_length

    def header(self, token: object) -> tuple[dict[str, Any], str, str, str]:
        """The parsed header and the three segments; checks shape only, not the signature."""
        if type(token) is not str:
            raise InvalidTokenError("token is not text")
        if not token:
            raise InvalidTokenError("token is empty")
        if len(token) > self.max_length:
            raise InvalidTokenError(f"token is longer than {self.max_length} characters")
        if _SHAPE.fullmatch(token) is None:
            raise InvalidTokenError("token is not three base64url segments separated by dots")
        head, body, signature = token.split(".")
        header = _object(head, "header")
        if "crit" in header:
            raise InvalidTokenError("token header has critical extensions this verifier does not support")
        return header, head, body, signature

    def decode(self, token: object, *, now: float | None = None) -> dict[str, Any]:
        """The verified claims of ``token``; :class:`InvalidTokenError` for any failure."""
        header, head, body, signature = self.header(token)
        algorithm = header.get("alg")
        if type(algorithm) is not str or algorithm.lower() == "none":
            raise InvalidTokenError("token algorithm is missing or 'none'")
        kid = header.get("kid")
        if kid is not None and type(kid) is not str:
            raise InvalidTokenError("token key id is not text")
        key = self._lookup(kid, algorithm)
        if key is None:
            raise InvalidTokenError("token is signed with an unknown key or algorithm")
        if key.algorithm != algorithm:
            raise InvalidTokenError("token algorithm does not match its key")
        signing_input = f"{head}.{body}".encode("ascii")
        if not key.verify(signing_input, _segment(signature, "signature")):
            raise InvalidTokenError("token signature is invalid")
        payload = _object(body, "payload")
        self.check_claims(payload, now=time.time() if now is None else now)
        return payload

    def check_claims(self, payload: dict[str, Any], *, now: float) -> None:
        """Check the registered claims of verified ``payload`` at time ``now``."""
        leeway = self.leeway
        expires = _number(payload, "exp")
        if expires is None:
            raise InvalidTokenError("token has no expiry (exp)")
        if now > expires + leeway:
            raise InvalidTokenError("token has expired")
        not_before = _number(payload, "nbf")
        if not_before is not None and now + leeway < not_before:
            raise InvalidTokenError("token is not valid yet (nbf)")
        issued = _number(payload, "iat")
        if issued is not None and now + leeway < issued:
            raise InvalidTokenError("token was issued in the future (iat)")
        if self._issuer is not None and payload.get("iss") not in self._issuer:
            raise InvalidTokenError("token issuer is not accepted")
        if self._audience is not None:
            audience = payload.get("aud")
            values = [audience] if type(audience) is str else audience
            if type(values) is not list or not any(type(v) is str and v in self._audience for v in values):
                raise InvalidTokenError("token audience is not accepted")
        subject = payload.get("sub")
        if type(subject) is not str or not subject:
            raise InvalidTokenError("token has no subject (sub)")
