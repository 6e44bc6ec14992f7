"""The local backend's signing key: generated per project on first use, never a constant.

Stored as a PKCS#8 PEM file readable by its owner only (``0600``, in a ``0700`` directory) under
``.tausestack/auth/`` by default, or given as PEM text (typically from a ``secret:NAME``).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tausestack.auth._keys import VerificationKey, thumbprint
from tausestack.core import ConfigurationError, get_logger

__all__ = ["SigningKey", "SIGNING_ALGORITHMS"]

SIGNING_ALGORITHMS = ("RS256", "ES256")
_log = get_logger("auth.local")


@dataclass(frozen=True, repr=False)
class SigningKey:
    """A private key, its ``kid`` (RFC 7638 thumbprint) and the matching verification key."""

    algorithm: str
    private_key: Any
    kid: str
    public_jwk: dict[str, Any]
    verification: VerificationKey

    def __repr__(self) -> str:
        return f"SigningKey(algorithm={self.algorithm!r}, kid={self.kid!r})"

    @classmethod
    def from_private_key(cls, private_key: Any, algorithm: str) -> SigningKey:
        """Wrap a ``cryptography`` private key; :class:`ConfigurationError` when it does not fit."""
        if algorithm == "RS256" and isinstance(private_key, rsa.RSAPrivateKey):
            jwk: dict[str, Any] = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        elif algorithm == "ES256" and isinstance(private_key, ec.EllipticCurvePrivateKey):
            jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        else:
            raise ConfigurationError(f"the auth signing key is not a private key for {algorithm}")
        kid = thumbprint(jwk)
        jwk.update({"kid": kid, "alg": algorithm, "use": "sig"})
        verification = VerificationKey(algorithm=algorithm, key=private_key.public_key(), kid=kid)
        return cls(algorithm, private_key, kid, jwk, verification)

    @classmethod
    def from_pem(cls, pem: str | bytes, algorithm: str | None = None) -> SigningKey:
        """Load a PEM private key (RSA -> RS256, P-256 -> ES256 unless ``algorithm`` says)."""
        data = pem.encode() if isinstance(pem, str) else pem
        try:
            private_key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            raise ConfigurationError(
                "the auth signing key is not a PEM private key without a password"
            ) from None
        if algorithm is None:
            algorithm = "RS256" if isinstance(private_key, rsa.RSAPrivateKey) else "ES256"
        return cls.from_private_key(private_key, algorithm)

    @classmethod
    def generate(cls, algorithm: str) -> SigningKey:
        """A new random key for ``algorithm`` (RSA 2048 for RS256, P-256 for ES256)."""
        if algorithm == "RS256":
            return cls.from_private_key(
                rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm
            )
        if algorithm == "ES256":
            return cls.from_private_key(ec.generate_private_key(ec.SECP256R1()), algorithm)
        raise ConfigurationError(f"signing algorithm must be one of {', '.join(SIGNING_ALGORITHMS)}")

    @classmethod
    def load_or_create(cls, path: Path, algorithm: str) -> SigningKey:
        """The key in ``path``, created there (``0600``) on first use, atomically across processes."""
        if path.exists():
            return cls._load_file(path, algorithm)
        key = cls.generate(algorithm)
        pem = key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)  # fails if another process created the key first
            except FileExistsError:
                return cls._load_file(path, algorithm)
        finally:
            temporary.unlink(missing_ok=True)
        _log.info("generated a new %s signing key (kid %s) in %s", algorithm, key.kid, path)
        return key

    @classmethod
    def _load_file(cls, path: Path, algorithm: str) -> SigningKey:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077 and os.name == "posix":
            _log.warning("the auth signing key %s is readable by others (mode %o); chmod 600 it", path, mode)
        return cls.from_pem(path.read_bytes(), algorithm)
