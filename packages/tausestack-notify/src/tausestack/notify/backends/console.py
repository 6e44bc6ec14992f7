"""``console://``: print each message to standard output (the default, for development)."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from tausestack.core import BackendURL
from tausestack.notify._message import OutgoingEmail
from tausestack.notify.backends._base import EmailBackend

__all__ = ["ConsoleEmailBackend"]


class ConsoleEmailBackend(EmailBackend):
    """Writes headers, the text body and a list of attachments to ``stream`` (stdout).

    Nothing leaves the machine. Attachment contents are summarized, not dumped.
    """

    scheme = "console"

    def __init__(self, stream: TextIO | None = None, *, default_from: str | None = None) -> None:
        super().__init__(default_from=default_from)
        self._stream = stream
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> ConsoleEmailBackend:
        url.check_options({"from"})
        return cls(default_from=url.option("from"))

    def send(self, message: OutgoingEmail) -> str:
        lines = [
            "-" * 72,
            f"From: {message.sender}",
            f"To: {', '.join(str(a) for a in message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc: {', '.join(str(a) for a in message.cc)}")
        if message.bcc:
            lines.append(f"Bcc: {', '.join(str(a) for a in message.bcc)}")
        if message.reply_to:
            lines.append(f"Reply-To: {', '.join(str(a) for a in message.reply_to)}")
        lines += [f"Subject: {message.subject}", f"Message-ID: {message.message_id}", "", message.text]
        if message.html:
            lines.append(f"[HTML part: {len(message.html)} characters]")
        for item in message.attachments:
            where = f" inline cid:{item.cid}" if item.cid else ""
            lines.append(f"[attachment: {item.file_name} ({item.content_type}, {item.size} bytes){where}]")
        lines.append("-" * 72)
        stream = self._stream or sys.stdout
        with self._lock:
            stream.write("\n".join(lines) + "\n")
            stream.flush()
        return message.message_id

    def health(self) -> None:
        """Always healthy: printing needs nothing to be reachable."""
        return

    async def ahealth(self) -> None:
        return

    def describe(self) -> str:
        return "console://"
