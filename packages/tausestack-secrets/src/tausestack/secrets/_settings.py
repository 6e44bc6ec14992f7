"""``SecretsSettings``: imported only when the environment is read (pydantic-settings is not cheap)."""

from __future__ import annotations

from typing import ClassVar

from tausestack.core import SettingsConfigDict, TauseStackSettings

__all__ = ["SecretsSettings", "DEFAULT_URL"]

DEFAULT_URL = "env://"


class SecretsSettings(TauseStackSettings):
    """``TAUSESTACK_SECRETS_URL`` (default ``env://``) and ``TAUSESTACK_SECRETS_CACHE_TTL`` (seconds)."""

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_SECRETS_")
    plain_fields: ClassVar[frozenset[str]] = frozenset({"url", "cache_ttl"})

    url: str = DEFAULT_URL
    cache_ttl: float | None = None
