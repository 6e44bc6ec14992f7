"""``memory://``: keep sent messages in ``.outbox`` (for your app's tests)."""

from __future__ import annotations

import threading

from tausestack.core import BackendURL
from tausestack.notify._message import OutgoingEmail
from tausestack.notify.backends._base import EmailBackend

__all__ = ["MemoryEmailBackend"]


class MemoryEmailBackend(EmailBackend):
    """Appends every message to :attr:`outbox`, a list of :class:`OutgoingEmail`.

    >>> notify.configure("memory://")  # doctest: +SKIP
    >>> notify.email("ada@example.com", "Hi", content_text="...")  # doctest: +SKIP
    >>> notify.outbox[0].subject  # doctest: +SKIP
    'Hi'
    """

    scheme = "memory"

    def __init__(self, *, default_from: str | None = None) -> None:
        super().__init__(default_from=default_from)
        self.outbox: list[OutgoingEmail] = []
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> MemoryEmailBackend:
        url.check_options({"from"})
        return cls(default_from=url.option("from"))

    def send(self, message: OutgoingEmail) -> str:
        with self._lock:
            self.outbox.append(message)
        return message.message_id

    async def asend(self, message: OutgoingEmail) -> str:
        return self.send(message)

    def clear(self) -> None:
        """Empty the outbox."""
        with self._lock:
            self.outbox.clear()

    def health(self) -> None:
        """Always healthy: the outbox is a list in this process."""
        return

    async def ahealth(self) -> None:
        return

    def describe(self) -> str:
        return "memory://"
