"""Settings of the AI API: AIAPI_* environment variables, .env, or the defaults below.

The OpenAI-compatible provider's key is not a setting but a secret (tausestack.secrets): set
the secret named by ``AIAPI_OPENAI_KEY_SECRET`` (default ``OPENAI_API_KEY``) to switch from the
offline analysis to the provider.
"""

from __future__ import annotations

from functools import lru_cache

from tausestack.core import SettingsConfigDict, TauseStackSettings


class Settings(TauseStackSettings):
    """The app's own settings (each SDK module reads TAUSESTACK_<MODULE>_URL itself)."""

    model_config = SettingsConfigDict(env_prefix="AIAPI_")

    max_upload_bytes: int = 1_000_000
    summary_sentences: int = 3
    keyword_count: int = 8
    cache_ttl: str = "1h"
    openai_key_secret: str = "OPENAI_API_KEY"  # noqa: S105 - the secret's name, not its value
    openai_base_url: str = "https://api.openai.com/v1"
    openai_model: str = "gpt-4o-mini"
    openai_timeout: float = 60.0
    notify_from: str = "ai-api@example.com"
    #: Apply the database migrations at start-up (one worker). With several workers or
    #: replicas, run `tausestack db upgrade` once before starting them and set this to false.
    auto_migrate: bool = True


@lru_cache
def get_settings() -> Settings:
    """The settings, read once per process."""
    return Settings()
