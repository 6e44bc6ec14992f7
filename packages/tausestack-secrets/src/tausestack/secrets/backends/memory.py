"""In-process secrets for tests: ``memory://``."""

from __future__ import annotations

import threading

from tausestack.core import BackendURL
from tausestack.secrets._backend import SecretsBackend

__all__ = ["MemorySecretsBackend"]


class MemorySecretsBackend(SecretsBackend):
    """Secrets in a dict (each instance its own).

    >>> backend = MemorySecretsBackend({"API_KEY": "k-123"})
    """

    scheme = "memory"

    def __init__(self, initial: dict[str, str | bytes] | None = None) -> None:
        self._values: dict[str, str | bytes] = dict(initial or {})
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> MemorySecretsBackend:
        url.check_options(set())
        return cls()

    def get(self, name: str) -> str | bytes | None:
        return self._values.get(name)

    def put(self, name: str, value: str | bytes) -> None:
        with self._lock:
            self._values[name] = value

    def delete(self, name: str) -> bool:
        with self._lock:
            return self._values.pop(name, None) is not None

    def names(self) -> list[str]:
        return list(self._values)

    def describe(self) -> str:
        return "memory://"
