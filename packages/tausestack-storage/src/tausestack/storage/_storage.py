"""``Storage``: the kinds over one backend, built from a URL or given a backend object."""

from __future__ import annotations

from tausestack.core import BackendRegistry, InvalidInputError, async_twin
from tausestack.storage._backend import StorageBackend
from tausestack.storage._binary import BinaryStorage
from tausestack.storage._dataframe import DataFrameStorage
from tausestack.storage._kinds import JsonStorage, TextStorage

__all__ = ["Storage", "registry", "default_url"]

registry: BackendRegistry[StorageBackend] = BackendRegistry("storage", variable="TAUSESTACK_STORAGE_URL")


def default_url() -> str:
    """``TAUSESTACK_STORAGE_URL`` from the environment or ``.env`` (default ``file://.tausestack/storage``)."""
    from tausestack.storage._settings import StorageSettings

    return StorageSettings().url


class Storage:
    """The ``json``, ``text``, ``binary`` and ``dataframe`` (alias ``dataframes``) kinds over one backend.

    ``Storage()`` reads ``TAUSESTACK_STORAGE_URL`` (default: files under ``.tausestack/storage``
    of the working directory); ``Storage("s3://bucket/prefix")``, ``Storage("memory://")`` or
    ``Storage(backend_object)`` build independent instances. Unknown schemes and options raise
    :class:`~tausestack.core.ConfigurationError`.

    >>> store = Storage("memory://")
    >>> store.json.put("answer", 42)
    >>> store.json.get("answer")
    42
    """

    def __init__(self, url_or_backend: str | StorageBackend | None = None) -> None:
        if url_or_backend is None:
            url_or_backend = default_url()
        if isinstance(url_or_backend, StorageBackend):
            backend = url_or_backend
        elif isinstance(url_or_backend, str):
            backend = registry.create(url_or_backend)
        else:
            raise InvalidInputError(
                f"Storage() takes a URL or a StorageBackend, not {type(url_or_backend).__name__}"
            )
        self.backend: StorageBackend = backend
        self.json = JsonStorage(backend)
        self.text = TextStorage(backend)
        self.binary = BinaryStorage(backend)
        self.dataframe = DataFrameStorage(backend)
        self.dataframes = self.dataframe

    def __repr__(self) -> str:
        return f"Storage({self.describe()!r})"

    def describe(self) -> str:
        """The backend as short redacted text (no connection is opened)."""
        return self.backend.describe()

    def health(self) -> None:
        """Check the backend really works; :class:`~tausestack.core.BackendUnavailableError` when not."""
        self.backend.health()

    def close(self) -> None:
        """Release the backend's connections (it reopens on next use)."""
        self.backend.close()

    ahealth = async_twin(health)
    aclose = async_twin(close)
