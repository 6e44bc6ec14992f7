"""Settings of tausestack.database: ``TAUSESTACK_DATABASE_*``."""

from __future__ import annotations

from tausestack.core import SettingsConfigDict, TauseStackSettings

__all__ = ["DatabaseSettings", "DEFAULT_URL"]

DEFAULT_URL = "sqlite:///.tausestack/app.db"


class DatabaseSettings(TauseStackSettings):
    """``TAUSESTACK_DATABASE_URL`` (may be ``secret:NAME``), pool settings, the models to migrate.

    ``TAUSESTACK_DATABASE_POOL_SIZE`` / ``_MAX_OVERFLOW`` / ``_POOL_TIMEOUT`` / ``_POOL_RECYCLE`` /
    ``_POOL_PRE_PING`` / ``_ECHO`` apply to SQL databases unless the URL sets the same option;
    ``TAUSESTACK_DATABASE_MODELS`` names the module(s) defining the models, comma-separated, for
    migrations (``app.models``).
    """

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_DATABASE_")

    url: str = DEFAULT_URL
    pool_size: int | None = None
    max_overflow: int | None = None
    pool_timeout: float | None = None
    pool_recycle: float | None = None
    pool_pre_ping: bool | None = None
    echo: bool | None = None
    models: str | None = None

    def engine_options(self) -> dict[str, str]:
        """The pool settings that were set, as URL option text."""
        out: dict[str, str] = {}
        for name in ("pool_size", "max_overflow", "pool_timeout", "pool_recycle", "pool_pre_ping", "echo"):
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value).lower() if isinstance(value, bool) else str(value)
        return out
