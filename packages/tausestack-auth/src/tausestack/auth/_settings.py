"""Settings of tausestack.auth (environment variables ``TAUSESTACK_AUTH_*``)."""

from __future__ import annotations

from typing import ClassVar

from tausestack.core import SettingsConfigDict, TauseStackSettings

__all__ = ["AuthSettings"]


class AuthSettings(TauseStackSettings):
    """``TAUSESTACK_AUTH_URL`` chooses the backend; ``TAUSESTACK_AUTH_COOKIE`` names a cookie.

    >>> AuthSettings().url
    'local://'
    """

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_AUTH_")
    # the URL may be ``secret:NAME``: the registry resolves it when the backend is built, so
    # reading the settings (``describe()``) never reads a secret.
    plain_fields: ClassVar[frozenset[str]] = frozenset({"url"})

    #: The backend URL: ``local://``, ``firebase://PROJECT_ID``, ``supabase://PROJECT_REF``...
    url: str = "local://"
    #: A cookie that may carry the token when no ``Authorization`` header is sent (off when empty).
    cookie: str | None = None
