"""``StorageSettings``: imported only when the environment is read (pydantic-settings is not cheap)."""

from __future__ import annotations

from typing import ClassVar

from tausestack.core import SettingsConfigDict, TauseStackSettings

__all__ = ["StorageSettings", "DEFAULT_URL"]

DEFAULT_URL = "file://.tausestack/storage"


class StorageSettings(TauseStackSettings):
    """``TAUSESTACK_STORAGE_URL``: ``file://…`` (default ``file://.tausestack/storage``), ``s3://bucket/prefix``, ``memory://``."""

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_STORAGE_")
    plain_fields: ClassVar[frozenset[str]] = frozenset({"url"})  # Storage() resolves secret: itself

    url: str = DEFAULT_URL
