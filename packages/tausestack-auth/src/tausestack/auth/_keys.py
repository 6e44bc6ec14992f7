"""Verification keys: one public key (or HMAC secret) bound to exactly one JWS algorithm.

Binding the algorithm to the key, not trusting the token's header, is what defeats algorithm
confusion (an HS256 token "signed" with an RSA public key) and ``alg=none``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tausestack.core import ConfigurationError

__all__ = ["VerificationKey", "ASYMMETRIC_ALGORITHMS", "HMAC_ALGORITHMS", "jwk_to_key", "thumbprint"]

_RSA_HASHES: dict[str, hashes.HashAlgorithm] = {
    "RS256": hashes.SHA256(),
    "RS384": hashes.SHA384(),
    "RS512": hashes.SHA512(),
}
_EC_CURVES: dict[str, tuple[type[ec.EllipticCurve], hashes.HashAlgorithm, int]] = {
    "ES256": (ec.SECP256R1, hashes.SHA256(), 32),
    "ES384": (ec.SECP384R1, hashes.SHA384(), 48),
}
_HMAC_HASHES: dict[str, Callable[[], Any]] = {
    "HS256": hashlib.sha256,
    "HS384": hashlib.sha384,
    "HS512": hashlib.sha512,
}
ASYMMETRIC_ALGORITHMS = frozenset(_RSA_HASHES) | frozenset(_EC_CURVES)
HMAC_ALGORITHMS = frozenset(_HMAC_HASHES)
_MIN_RSA_BITS = 2048
_MIN_HMAC_BYTES = 32

Verify = Callable[[bytes, bytes], bool]


@dataclass(frozen=True, repr=False)
class VerificationKey:
    """A key that verifies signatures of one ``algorithm`` only (``kid`` as published in JWKS).

    Raises :class:`ConfigurationError` when the key does not fit the algorithm (an RSA key for
    ES256, an RSA key under 2048 bits, an HMAC secret under 32 bytes).
    """

    algorithm: str
    key: Any
    kid: str | None = None
    _verify: Verify = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_verify", _make_verifier(self.algorithm, self.key))

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``signing_input``."""
        return self._verify(signing_input, signature)

    def __repr__(self) -> str:
        return f"VerificationKey(algorithm={self.algorithm!r}, kid={self.kid!r})"


def _make_verifier(algorithm: str, key: Any) -> Verify:
    if algorithm in _RSA_HASHES:
        if not isinstance(key, rsa.RSAPublicKey):
            raise ConfigurationError(f"{algorithm} needs an RSA public key")
        if key.key_size < _MIN_RSA_BITS:
            raise ConfigurationError(f"RSA keys under {_MIN_RSA_BITS} bits are refused")
        return _rsa_verifier(key, _RSA_HASHES[algorithm])
    if algorithm in _EC_CURVES:
        curve, digest, size = _EC_CURVES[algorithm]
        if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, curve):
            raise ConfigurationError(f"{algorithm} needs an EC public key on {curve.name}")
        return _ec_verifier(key, digest, size)
    if algorithm in _HMAC_HASHES:
        if not isinstance(key, bytes) or len(key) < _MIN_HMAC_BYTES:
            raise ConfigurationError(f"{algorithm} needs a secret of at least {_MIN_HMAC_BYTES} bytes")
        return _hmac_verifier(key, _HMAC_HASHES[algorithm])
    raise ConfigurationError(f"unsupported JWS algorithm {algorithm!r}")


def _rsa_verifier(key: rsa.RSAPublicKey, digest: hashes.HashAlgorithm) -> Verify:
    pkcs1 = padding.PKCS1v15()

    def verify(data: bytes, signature: bytes) -> bool:
        try:
            key.verify(signature, data, pkcs1, digest)
        except InvalidSignature:
            return False
        return True

    return verify


def _ec_verifier(key: ec.EllipticCurvePublicKey, digest: hashes.HashAlgorithm, size: int) -> Verify:
    ecdsa = ec.ECDSA(digest)

    def verify(data: bytes, signature: bytes) -> bool:
        if len(signature) != 2 * size:
            return False
        r = int.from_bytes(signature[:size], "big")
        s = int.from_bytes(signature[size:], "big")
        try:
            key.verify(encode_dss_signature(r, s), data, ecdsa)
        except InvalidSignature:
            return False
        return True

    return verify


def _hmac_verifier(secret: bytes, digest: Callable[[], Any]) -> Verify:
    def verify(data: bytes, signature: bytes) -> bool:
        return hmac.compare_digest(hmac.new(secret, data, digest).digest(), signature)

    return verify


def _b64_int(value: Any) -> int:
    if not isinstance(value, str):
        raise ValueError("JWK number is not a string")
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


_CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1}
_DEFAULT_ALG = {"RSA": "RS256", "P-256": "ES256", "P-384": "ES384"}


def jwk_to_key(jwk: Mapping[str, Any]) -> VerificationKey | None:
    """The verification key a public JWK describes, or ``None`` for keys we do not use.

    Keys for encryption (``use: enc``), symmetric keys and unknown types are skipped, never
    trusted. The algorithm is the JWK's ``alg`` or the one its type implies.
    """
    if jwk.get("use", "sig") != "sig":
        return None
    kty = jwk.get("kty")
    kid = jwk.get("kid")
    kid = kid if isinstance(kid, str) else None
    try:
        if kty == "RSA":
            public: Any = rsa.RSAPublicNumbers(_b64_int(jwk["e"]), _b64_int(jwk["n"])).public_key()
            default = _DEFAULT_ALG["RSA"]
        elif kty == "EC" and jwk.get("crv") in _CURVES:
            crv = str(jwk["crv"])
            numbers = ec.EllipticCurvePublicNumbers(_b64_int(jwk["x"]), _b64_int(jwk["y"]), _CURVES[crv]())
            public = numbers.public_key()
            default = _DEFAULT_ALG[crv]
        else:
            return None
        algorithm = jwk.get("alg", default)
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            return None
        return VerificationKey(algorithm=str(algorithm), key=public, kid=kid)
    except (KeyError, ValueError, TypeError, ConfigurationError):
        return None


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 JWK thumbprint (base64url SHA-256), used as ``kid``."""
    members = ("e", "kty", "n") if jwk["kty"] == "RSA" else ("crv", "kty", "x", "y")
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
