"""``file://dir``: write each message as an ``.eml`` file (open it in any mail client)."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

from tausestack.core import BackendUnavailableError, BackendURL
from tausestack.notify._message import OutgoingEmail
from tausestack.notify.backends._base import EmailBackend

__all__ = ["FileEmailBackend"]

_PROBE_PREFIX = ".tausestack-health-"


class FileEmailBackend(EmailBackend):
    """One ``<UTC time>-<random>.eml`` file per message in ``directory`` (created on first send).

    ``file://.tausestack/mail`` (the default directory when the URL has none). Bcc recipients
    are not written, as they are not in the message itself. :meth:`health` writes and removes a
    probe file, and removes the directories it had to create for it: it leaves nothing behind.
    """

    scheme = "file"

    def __init__(
        self, directory: str | Path = ".tausestack/mail", *, default_from: str | None = None
    ) -> None:
        super().__init__(default_from=default_from)
        self.directory = Path(directory)

    @classmethod
    def from_url(cls, url: BackendURL) -> FileEmailBackend:
        url.check_options({"from"})
        return cls(url.location or ".tausestack/mail", default_from=url.option("from"))

    def send(self, message: OutgoingEmail) -> str:
        data = message.as_bytes()
        name = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(6)}.eml"
        try:
            fd = self._create(self.directory / name)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise BackendUnavailableError(f"cannot write the message to {self.directory}: {exc}") from exc
        return message.message_id

    def _create(self, path: Path) -> int:
        """Open a new file exclusively, creating the directory when it is missing."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            return os.open(path, flags, 0o600)
        except FileNotFoundError:
            self.directory.mkdir(parents=True, exist_ok=True)
            return os.open(path, flags, 0o600)

    def health(self) -> None:
        """Check the directory exists (or can be created) and a file can be written in it.

        Raises :class:`~tausestack.core.BackendUnavailableError` naming the directory and the
        reason (e.g. a parent is a regular file, or permission denied).
        """
        created: list[Path] = []
        try:
            missing: list[Path] = []
            probe = self.directory
            while not probe.exists() and probe != probe.parent:
                missing.append(probe)
                probe = probe.parent
            for path in reversed(missing):
                path.mkdir()
                created.append(path)
            if not self.directory.is_dir():
                raise NotADirectoryError(f"{self.directory} is not a directory")
            probe_file = self.directory / f"{_PROBE_PREFIX}{secrets.token_hex(6)}"
            fd = os.open(probe_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, b"ok")
            finally:
                os.close(fd)
                os.unlink(probe_file)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if exc.strerror and exc.filename and Path(exc.filename) != self.directory:
                reason = f"{reason} ({exc.filename})"
            raise BackendUnavailableError(
                f"the mail directory {self.directory} cannot be written: {reason}"
            ) from None
        finally:
            for path in reversed(created):
                with contextlib.suppress(OSError):  # a message written meanwhile keeps it
                    path.rmdir()

    def describe(self) -> str:
        return f"file://{self.directory.as_posix()}"
