"""tausestack.storage: Databutton-compatible storage on local files, S3 or memory.

>>> from tausestack import storage
>>> storage.json.put("settings", {"theme": "dark"})
>>> storage.json.get("settings")
{'theme': 'dark'}

``storage.json``, ``storage.text``, ``storage.binary``, ``storage.dataframe`` (alias
``storage.dataframes``) use the lazy module default, built from ``TAUSESTACK_STORAGE_URL`` on
first use. ``Storage(url)`` builds independent instances. This module never binds the name
``json`` to the standard library: ``storage.json`` is the kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tausestack.core import ModuleDefault, redact_url, run_sync
from tausestack.storage._backend import ObjectInfo, StorageBackend, StorageEntry
from tausestack.storage._keys import sanitize_key, validate_key
from tausestack.storage._storage import Storage, default_url, registry
from tausestack.storage._version import __version__

if TYPE_CHECKING:
    from tausestack.storage._binary import BinaryStorage
    from tausestack.storage._dataframe import DataFrameStorage
    from tausestack.storage._kinds import JsonStorage, TextStorage
    from tausestack.storage._settings import StorageSettings

    json: JsonStorage
    text: TextStorage
    binary: BinaryStorage
    dataframe: DataFrameStorage
    dataframes: DataFrameStorage

__all__ = [
    "__version__",
    "Storage",
    "StorageSettings",
    "StorageBackend",
    "StorageEntry",
    "ObjectInfo",
    "sanitize_key",
    "validate_key",
    "registry",
    "configure",
    "reset",
    "get_storage",
    "health",
    "ahealth",
    "close",
    "aclose",
    "describe",
    "LocalStorageBackend",
    "S3StorageBackend",
    "MemoryStorageBackend",
]

_KINDS = frozenset({"json", "text", "binary", "dataframe", "dataframes"})
_LAZY = {
    "StorageSettings": "tausestack.storage._settings",
    "LocalStorageBackend": "tausestack.storage.backends.local",
    "S3StorageBackend": "tausestack.storage.backends.s3",
    "MemoryStorageBackend": "tausestack.storage.backends.memory",
}

_default: ModuleDefault[Storage] = ModuleDefault(Storage, close=Storage.close)


def get_storage() -> Storage:
    """The module default :class:`Storage` (built from the environment on first use)."""
    return _default.get()


def configure(url_or_backend: str | StorageBackend | Storage) -> None:
    """Make ``url_or_backend`` (a URL, ``secret:NAME``, a backend or a :class:`Storage`) the default.

    >>> storage.configure("memory://")
    """
    instance = url_or_backend if isinstance(url_or_backend, Storage) else Storage(url_or_backend)
    _default.configure(instance)


def reset() -> None:
    """Forget (and close) the default; the next use reads ``TAUSESTACK_STORAGE_URL`` again."""
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
    """The default backend as short redacted text, without building it or opening connections."""
    if _default.is_built:
        return _default.get().describe()
    return redact_url(default_url())


def __getattr__(name: str) -> Any:
    if name in _KINDS:
        return getattr(_default.get(), name)
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'tausestack.storage' has no attribute {name!r}")
