"""``file://dir``: write each message as an ``.eml`` file (open it in any mail client)."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from tausestack.core import BackendUnavailableError, BackendURL
from tausestack.notify._message import OutgoingEmail
from tausestack.notify.backends._base import EmailBackend

__all__ = ["FileEmailBackend"]


class FileEmailBackend(EmailBackend):
    """One ``<UTC time>-<random>.eml`` file per message in ``directory`` (created on first send).

    ``file://.tausestack/mail`` (the default directory when the URL has none). Bcc recipients
    are not written, as they are not in the message itself.
    """

    scheme = "file"

    def __init__(
        self, directory: str | Path = ".tausestack/mail", *, default_from: str | None = None
    ) -> None:
        super().__init__(default_from=default_from)
        self.directory = Path(directory)
        self._ready = False

    @classmethod
    def from_url(cls, url: BackendURL) -> FileEmailBackend:
        url.check_options({"from"})
        return cls(url.location or ".tausestack/mail", default_from=url.option("from"))

    def send(self, message: OutgoingEmail) -> str:
        data = message.as_bytes()
        name = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(6)}.eml"
        try:
            if not self._ready:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._ready = True
            fd = os.open(self.directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise BackendUnavailableError(f"cannot write the message to {self.directory}: {exc}") from exc
        return message.message_id

    def health(self) -> None:
        if self.directory.exists() and not os.access(self.directory, os.W_OK):
            raise BackendUnavailableError(f"the mail directory {self.directory} is not writable")

    def describe(self) -> str:
        return f"file://{self.directory.as_posix()}"
