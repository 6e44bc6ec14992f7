"""Several backends, first hit wins: ``TAUSESTACK_SECRETS_URL="env://,aws-secrets://?prefix=app/"``."""

from __future__ import annotations

from collections.abc import Sequence

from tausestack.core import BackendURL, ConfigurationError
from tausestack.secrets._backend import SecretsBackend

__all__ = ["ChainSecretsBackend"]


class ChainSecretsBackend(SecretsBackend):
    """Reads ask each backend in order and return the first value found; ``put`` writes to the
    first backend; ``delete`` removes the secret from every backend that has it; names are the union.

    >>> ChainSecretsBackend([EnvSecretsBackend(), MemorySecretsBackend()])
    """

    scheme = "chain"

    def __init__(self, backends: Sequence[SecretsBackend]) -> None:
        if not backends:
            raise ConfigurationError("a secrets chain needs at least one backend")
        self.backends = list(backends)

    @classmethod
    def from_url(cls, url: BackendURL) -> ChainSecretsBackend:
        raise ConfigurationError(
            f"{url.variable}: write a chain as comma-separated URLs, e.g. 'env://,aws-secrets://?prefix=app/'"
        )

    @property
    def cache_ttl(self) -> float:
        return max(backend.cache_ttl for backend in self.backends)

    def get(self, name: str) -> str | bytes | None:
        for backend in self.backends:
            value = backend.get(name)
            if value is not None:
                return value
        return None

    def put(self, name: str, value: str | bytes) -> None:
        self.backends[0].put(name, value)

    def delete(self, name: str) -> bool:
        deleted = False
        for backend in self.backends:
            if backend.get(name) is not None:
                deleted = backend.delete(name) or deleted
        return deleted

    def names(self) -> list[str]:
        found: set[str] = set()
        for backend in self.backends:
            found.update(backend.names())
        return list(found)

    def health(self) -> None:
        for backend in self.backends:
            backend.health()

    def close(self) -> None:
        for backend in self.backends:
            backend.close()

    def describe(self) -> str:
        return ",".join(backend.describe() for backend in self.backends)
