"""tausestack.secrets: secrets from the environment, .env, AWS Secrets Manager or memory.

>>> from tausestack import secrets
>>> secrets.get("OPENAI_API_KEY")                 # KeyError when missing
>>> secrets.get("OPTIONAL", default=None)

The module functions use the lazy default, built from ``TAUSESTACK_SECRETS_URL`` (default
``env://``: the environment, then ``.env``) on first use. ``Secrets(url)`` builds instances.
``tausestack.core`` resolves ``secret:NAME`` settings through :func:`get`.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from tausestack.core import ModuleDefault, redact_url, run_sync
from tausestack.secrets._backend import SecretsBackend, validate_name
from tausestack.secrets._secrets import MISSING, Secrets, build_backend, registry
from tausestack.secrets._version import __version__

if TYPE_CHECKING:
    from tausestack.secrets._settings import SecretsSettings

__all__ = [
    "__version__",
    "Secrets",
    "SecretsSettings",
    "SecretsBackend",
    "validate_name",
    "build_backend",
    "registry",
    "get",
    "get_json",
    "get_as_bytes",
    "get_names",
    "list",
    "put",
    "delete",
    "aget",
    "aget_json",
    "aget_as_bytes",
    "aget_names",
    "alist",
    "aput",
    "adelete",
    "configure",
    "reset",
    "get_secrets",
    "health",
    "ahealth",
    "close",
    "aclose",
    "describe",
]

_default: ModuleDefault[Secrets] = ModuleDefault(Secrets, close=Secrets.close)


def get_secrets() -> Secrets:
    """The module default :class:`Secrets` (built from the environment on first use)."""
    return _default.get()


def get(name: str, default: Any = MISSING, *, field: str | None = None, force_refresh: bool = False) -> Any:
    """The secret ``name`` (``KeyError`` when missing and no default). See :meth:`Secrets.get`.

    >>> secrets.get("STRIPE_KEY", default=None)
    """
    return _default.get().get(name, default, field=field, force_refresh=force_refresh)


def get_json(name: str, default: Any = MISSING, *, force_refresh: bool = False) -> Any:
    """The secret parsed as JSON. See :meth:`Secrets.get_json`."""
    return _default.get().get_json(name, default, force_refresh=force_refresh)


def get_as_bytes(name: str, default: Any = MISSING, *, force_refresh: bool = False) -> Any:
    """The secret as bytes. See :meth:`Secrets.get_as_bytes`."""
    return _default.get().get_as_bytes(name, default, force_refresh=force_refresh)


def get_names() -> builtins.list[str]:
    """Every secret name of the default backend, sorted."""
    return _default.get().get_names()


def put(name: str, value: str | bytes) -> None:
    """Create or update a secret in the default backend."""
    _default.get().put(name, value)


def delete(name: str) -> bool:
    """Delete a secret from the default backend; False when it did not exist."""
    return _default.get().delete(name)


async def aget(
    name: str, default: Any = MISSING, *, field: str | None = None, force_refresh: bool = False
) -> Any:
    """Async twin of :func:`get`."""
    return await run_sync(get, name, default, field=field, force_refresh=force_refresh)


async def aget_json(name: str, default: Any = MISSING, *, force_refresh: bool = False) -> Any:
    """Async twin of :func:`get_json`."""
    return await run_sync(get_json, name, default, force_refresh=force_refresh)


async def aget_as_bytes(name: str, default: Any = MISSING, *, force_refresh: bool = False) -> Any:
    """Async twin of :func:`get_as_bytes`."""
    return await run_sync(get_as_bytes, name, default, force_refresh=force_refresh)


async def aget_names() -> builtins.list[str]:
    """Async twin of :func:`get_names`."""
    return await run_sync(get_names)


async def aput(name: str, value: str | bytes) -> None:
    """Async twin of :func:`put`."""
    await run_sync(put, name, value)


async def adelete(name: str) -> bool:
    """Async twin of :func:`delete`."""
    return await run_sync(delete, name)


def configure(url_or_backend: str | SecretsBackend | Secrets) -> None:
    """Make ``url_or_backend`` (a URL, a chain of URLs, a backend or a :class:`Secrets`) the default."""
    instance = url_or_backend if isinstance(url_or_backend, Secrets) else Secrets(url_or_backend)
    _default.configure(instance)


def reset() -> None:
    """Forget the default (and its cache); the next use reads ``TAUSESTACK_SECRETS_URL`` again."""
    _default.reset()


# The module lifecycle (tausestack.core.ModuleDefault): health() checks the default (building it
# on first use; BackendUnavailableError when it does not work); close() releases its connections
# if it was built. The async twins run the sync ones in a worker thread, building included.
health = _default.health
close = _default.close


async def ahealth() -> None:
    """Async twin of :func:`health`."""
    await run_sync(health)


async def aclose() -> None:
    """Async twin of :func:`close`."""
    await run_sync(close)


def describe() -> str:
    """The default backend as short text, without building it or opening connections."""
    if _default.is_built:
        return _default.get().describe()
    from tausestack.secrets._settings import SecretsSettings

    return redact_url(SecretsSettings().url)


def __getattr__(name: str) -> Any:
    if name == "SecretsSettings":
        from tausestack.secrets._settings import SecretsSettings

        return SecretsSettings
    raise AttributeError(f"module 'tausestack.secrets' has no attribute {name!r}")


list = get_names
alist = aget_names
