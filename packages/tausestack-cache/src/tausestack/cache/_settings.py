"""Settings of the cache module (``TAUSESTACK_CACHE_*``)."""

from __future__ import annotations

from pydantic import SecretStr

from tausestack.core import SettingsConfigDict, TauseStackSettings

__all__ = ["CacheSettings"]


class CacheSettings(TauseStackSettings):
    """``TAUSESTACK_CACHE_URL`` picks the backend; the serializer and its key are set here too.

    * ``url``: ``memory://?max_size=10000`` (default), ``disk://.tausestack/cache``,
      ``redis://127.0.0.1:6379/0`` (any may say ``secret:NAME``).
    * ``serializer``: ``json`` (default), ``msgpack`` or ``pickle`` for the Redis and disk
      backends (a URL's ``?serializer=`` wins).
    * ``signing_key``: the HMAC key pickle payloads are signed with; required for ``pickle``.
    """

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_CACHE_")

    url: str = "memory://"
    serializer: str = "json"
    signing_key: SecretStr | None = None
