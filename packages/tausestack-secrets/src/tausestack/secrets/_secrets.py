"""``Secrets``: one backend (or a chain) behind a TTL cache, with Databutton's semantics."""

from __future__ import annotations

import builtins
import json
import re
import threading
import time
from typing import TYPE_CHECKING, Any, Final

from tausestack.core import (
    BackendRegistry,
    Duration,
    InvalidInputError,
    KeyNotFoundError,
    async_twin,
    parse_duration,
    register_secret,
)
from tausestack.secrets._backend import SecretsBackend, validate_name
from tausestack.secrets.backends.chain import ChainSecretsBackend

if TYPE_CHECKING:
    from tausestack.secrets._settings import SecretsSettings

__all__ = ["Secrets", "registry", "MISSING", "build_backend"]
_CHAIN_SPLIT = re.compile(r"\s*,\s*(?=[A-Za-z][A-Za-z0-9+.\-]*://)")

registry: BackendRegistry[SecretsBackend] = BackendRegistry("secrets", variable="TAUSESTACK_SECRETS_URL")


class _Missing:
    def __repr__(self) -> str:
        return "<no default>"


MISSING: Final[Any] = _Missing()


def build_backend(url: str) -> SecretsBackend:
    """A backend from a URL, or a :class:`ChainSecretsBackend` from comma-separated URLs."""
    parts = [part for part in _CHAIN_SPLIT.split(url.strip()) if part]
    if len(parts) > 1:
        return ChainSecretsBackend([registry.create(part) for part in parts])
    return registry.create(url)


class Secrets:
    """Secrets from one backend, cached for a TTL.

    ``Secrets()`` reads ``TAUSESTACK_SECRETS_URL`` (default ``env://``: environment, then
    ``.env``); ``Secrets("aws-secrets://?prefix=app/")``, ``Secrets("memory://")``,
    ``Secrets("env://,aws-secrets://")`` (a chain) or ``Secrets(backend)`` build instances.
    ``cache_ttl`` (seconds, "5m"...) defaults to ``TAUSESTACK_SECRETS_CACHE_TTL`` or the
    backend's own default (0 for env/dotenv/memory, 300 s for AWS). The repr never shows values.

    >>> secrets = Secrets("memory://")
    >>> secrets.put("API_KEY", "k-123")
    >>> secrets.get("API_KEY")
    'k-123'
    """

    def __init__(
        self, url_or_backend: str | SecretsBackend | None = None, *, cache_ttl: Duration | None = None
    ) -> None:
        settings: SecretsSettings | None = None
        if url_or_backend is None or cache_ttl is None:
            from tausestack.secrets._settings import SecretsSettings

            settings = SecretsSettings()
        if url_or_backend is None:
            assert settings is not None
            url_or_backend = settings.url
        if isinstance(url_or_backend, SecretsBackend):
            backend = url_or_backend
        elif isinstance(url_or_backend, str):
            backend = build_backend(url_or_backend)
        else:
            raise InvalidInputError(
                f"Secrets() takes a URL or a SecretsBackend, not {type(url_or_backend).__name__}"
            )
        self.backend: SecretsBackend = backend
        if cache_ttl is None and settings is not None and settings.cache_ttl is not None:
            cache_ttl = settings.cache_ttl
        self.cache_ttl = (
            backend.cache_ttl if cache_ttl is None else parse_duration(cache_ttl, name="cache_ttl")
        )
        self._cache: dict[str, tuple[float, str | bytes]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Secrets({self.describe()!r}, cache_ttl={self.cache_ttl:g})"

    def describe(self) -> str:
        """The backend as short text (never a value)."""
        return self.backend.describe()

    # -- reading -------------------------------------------------------------------------------

    def _value(self, name: str, force_refresh: bool) -> str | bytes | None:
        validate_name(name)
        if self.cache_ttl > 0 and not force_refresh:
            hit = self._cache.get(name)
            if hit is not None and hit[0] > time.monotonic():
                return hit[1]
        value = self.backend.get(name)
        if value is None:
            with self._lock:
                self._cache.pop(name, None)
            return None
        register_secret(value)
        if self.cache_ttl > 0:
            with self._lock:
                self._cache[name] = (time.monotonic() + self.cache_ttl, value)
        return value

    def get(
        self, name: str, default: Any = MISSING, *, field: str | None = None, force_refresh: bool = False
    ) -> Any:
        """The secret ``name`` as text.

        ``name#field`` (or ``field=``) reads one field of a JSON object secret. When missing:
        ``default`` (called when callable), or :class:`~tausestack.core.KeyNotFoundError` (a
        ``KeyError``). ``force_refresh=True`` skips the cache. Binary secrets are decoded as UTF-8.

        >>> secrets.get("OPENAI_API_KEY")
        >>> secrets.get("database#password")      # {"password": "..."} stored as JSON
        """
        if field is None and isinstance(name, str) and "#" in name:
            name, _, field = name.partition("#")
        value = self._value(name, force_refresh)
        if value is None:
            return self._missing(name, default)
        text = value.decode("utf-8") if isinstance(value, bytes) else value
        if field is None:
            return text
        try:
            document = json.loads(text)
        except ValueError:
            raise InvalidInputError(
                f"secret {name!r} is not a JSON object, so it has no field {field!r}"
            ) from None
        if not isinstance(document, dict) or field not in document:
            return self._missing(f"{name}#{field}", default)
        item = document[field]
        result = item if isinstance(item, str) else json.dumps(item)
        register_secret(result)
        return result

    def get_json(self, name: str, default: Any = MISSING, *, force_refresh: bool = False) -> Any:
        """The secret parsed as JSON (a whole JSON secret from Secrets Manager, say)."""
        value = self._value(name, force_refresh)
        if value is None:
            return self._missing(name, default)
        try:
            return json.loads(value)
        except ValueError:
            raise InvalidInputError(f"secret {name!r} is not valid JSON") from None

    def get_as_bytes(self, name: str, default: Any = MISSING, *, force_refresh: bool = False) -> Any:
        """The secret as bytes (binary secrets as stored, text encoded as UTF-8)."""
        value = self._value(name, force_refresh)
        if value is None:
            return self._missing(name, default)
        return value if isinstance(value, bytes) else value.encode("utf-8")

    def _missing(self, name: str, default: Any) -> Any:
        if default is MISSING:
            raise KeyNotFoundError(
                f"secret {name!r} is not set in {self.describe()} (pass default=... to get a value instead)"
            )
        return default() if callable(default) else default

    def get_names(self) -> builtins.list[str]:
        """Every secret name, sorted."""
        return sorted(set(self.backend.names()))

    def list(self) -> builtins.list[str]:
        """Alias of :meth:`get_names`."""
        return self.get_names()

    # -- writing -------------------------------------------------------------------------------

    def put(self, name: str, value: str | bytes) -> None:
        """Create or update the secret (``str`` or ``bytes``); read-only backends refuse."""
        validate_name(name)
        if not isinstance(value, (str, bytes)):
            raise InvalidInputError(f"a secret value must be str or bytes, not {type(value).__name__}")
        register_secret(value)
        self.backend.put(name, value)
        with self._lock:
            self._cache.pop(name, None)

    def delete(self, name: str) -> bool:
        """Delete the secret; False when it did not exist."""
        validate_name(name)
        with self._lock:
            self._cache.pop(name, None)
        return self.backend.delete(name)

    def clear_cache(self) -> None:
        """Forget every cached value (the next reads go to the backend)."""
        with self._lock:
            self._cache.clear()

    def health(self) -> None:
        """Check the backend works; :class:`~tausestack.core.BackendUnavailableError` when not."""
        self.backend.health()

    def close(self) -> None:
        """Release the backend's connections and the cache."""
        self.clear_cache()
        self.backend.close()

    aget = async_twin(get)
    aget_json = async_twin(get_json)
    aget_as_bytes = async_twin(get_as_bytes)
    aget_names = async_twin(get_names)
    alist = async_twin(list)
    aput = async_twin(put)
    adelete = async_twin(delete)
    ahealth = async_twin(health)
    aclose = async_twin(close)
