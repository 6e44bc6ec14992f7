"""Settings of the notify module (``TAUSESTACK_NOTIFY_*``)."""

from __future__ import annotations

from tausestack.core import SettingsConfigDict, TauseStackSettings

__all__ = ["NotifySettings", "DEFAULT_MAX_ATTACHMENTS_SIZE"]

DEFAULT_MAX_ATTACHMENTS_SIZE = 10 * 1024 * 1024


class NotifySettings(TauseStackSettings):
    """``TAUSESTACK_NOTIFY_URL`` picks the backend; sender and limits are set here too.

    * ``url``: ``console://`` (default), ``file://.tausestack/mail``, ``memory://``,
      ``smtp://user:password@host:587``, ``ses://?region=eu-west-1`` (may say ``secret:NAME``).
    * ``default_from``: the sender when ``email(from_=...)`` is not given
      (``TAUSESTACK_NOTIFY_DEFAULT_FROM="Acme <noreply@acme.com>"``); a URL's ``?from=`` wins.
    * ``max_attachments_size``: bytes of attachments allowed in one message (default 10 MiB).
    """

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_NOTIFY_")

    url: str = "console://"
    default_from: str | None = None
    max_attachments_size: int = DEFAULT_MAX_ATTACHMENTS_SIZE
