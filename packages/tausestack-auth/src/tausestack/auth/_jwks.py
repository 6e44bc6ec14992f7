"""A JWKS endpoint's keys, cached, refreshed when stale or when an unknown ``kid`` appears."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from tausestack.auth._keys import VerificationKey, jwk_to_key
from tausestack.core import BackendUnavailableError, get_logger, redact_url

__all__ = ["JwksKeySet", "KeysNeedFetching"]

_log = get_logger("auth.jwks")


class KeysNeedFetching(Exception):
    """Raised by :meth:`JwksKeySet.cached_lookup` when only a fetch could answer."""


class JwksKeySet:
    """The signing keys published at ``url``.

    Keys are fetched on first use and kept ``max_age`` seconds; a token with an unknown ``kid``
    triggers one refetch, at most every ``min_refresh`` seconds (so forged ``kid`` values cannot
    make us hammer the endpoint). When a refetch fails, the keys already known are kept.
    ``fetches`` counts the HTTP requests made.
    """

    def __init__(
        self,
        url: str,
        *,
        max_age: float = 600.0,
        min_refresh: float = 30.0,
        timeout: float = 5.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = url
        self.max_age = max_age
        self.min_refresh = min_refresh
        self._client = client
        self._timeout = timeout
        self._keys: dict[str | None, VerificationKey] = {}
        self._fetched_at = -1e18
        self._attempted_at = -1e18
        self._lock = threading.Lock()
        self.fetches = 0

    def __repr__(self) -> str:
        return f"JwksKeySet({redact_url(self.url)!r}, keys={len(self._keys)})"

    def _due(self, kid: str | None, now: float) -> bool:
        if now - self._attempted_at < self.min_refresh:
            return False
        return now - self._fetched_at > self.max_age or (kid is not None and kid not in self._keys)

    def cached_lookup(self, kid: str | None, algorithm: str) -> VerificationKey | None:
        """The key from the cache, without I/O; :class:`KeysNeedFetching` when a fetch is due."""
        if self._due(kid, time.monotonic()):
            raise KeysNeedFetching
        return self._keys.get(kid)

    def lookup(self, kid: str | None, algorithm: str) -> VerificationKey | None:
        """The key for ``kid``, fetching the JWKS when stale or when ``kid`` is unknown."""
        if self._due(kid, time.monotonic()):
            with self._lock:
                if self._due(kid, time.monotonic()):
                    self._refresh()
        return self._keys.get(kid)

    def _refresh(self) -> None:
        self._attempted_at = time.monotonic()
        self.fetches += 1
        try:
            client = self._client
            if client is None:
                response = httpx.get(self.url, timeout=self._timeout)
            else:
                response = client.get(self.url, timeout=self._timeout)
            response.raise_for_status()
            document: Any = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            if self._keys:
                _log.warning("JWKS refresh from %s failed (%s); keeping the known keys", self.url, exc)
                return
            raise BackendUnavailableError(
                f"cannot fetch the signing keys from {redact_url(self.url)}: {type(exc).__name__}"
            ) from None
        keys: dict[str | None, VerificationKey] = {}
        for jwk in document.get("keys", []) if isinstance(document, dict) else []:
            key = jwk_to_key(jwk) if isinstance(jwk, dict) else None
            if key is not None and key.kid is not None:
                keys[key.kid] = key
        self._keys = keys
        self._fetched_at = time.monotonic()
        _log.debug("fetched %d signing key(s) from %s", len(keys), self.url)
