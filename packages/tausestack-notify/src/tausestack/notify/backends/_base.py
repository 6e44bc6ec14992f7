"""The contract every e-mail backend implements: one small ABC, one file per backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from tausestack.core import run_sync
from tausestack.notify._message import OutgoingEmail

__all__ = ["EmailBackend"]


class EmailBackend(ABC):
    """Base class of e-mail backends.

    :meth:`send` delivers one validated :class:`OutgoingEmail` and returns an id for it (the
    provider's id where there is one, else the ``Message-ID``). It raises on failure (never
    returns False) and never falls back to another backend. ``default_from`` comes from the
    URL's ``?from=``; ``needs_sender`` backends refuse to invent one. :meth:`health` checks
    the backend really works; :meth:`close` releases what it holds open.
    """

    scheme: ClassVar[str]
    needs_sender: ClassVar[bool] = False

    def __init__(self, *, default_from: str | None = None) -> None:
        self.default_from = default_from

    @abstractmethod
    def send(self, message: OutgoingEmail) -> str:
        """Deliver ``message``; return its id."""

    async def asend(self, message: OutgoingEmail) -> str:
        """Async twin of :meth:`send` (a worker thread unless the backend overrides it)."""
        return await run_sync(self.send, message)

    @abstractmethod
    def health(self) -> None:
        """Check the backend can deliver: return None when it can, raise when it cannot.

        A cheap real round trip (SMTP: connect, log in, NOOP; SES: read the send quota; file:
        write and remove a probe file). Raises :class:`~tausestack.core.BackendUnavailableError`
        (unreachable, not writable), :class:`~tausestack.core.AccessDeniedError` (credentials
        refused) or :class:`~tausestack.core.ConfigurationError`; never shows a password.
        """

    async def ahealth(self) -> None:
        """Async twin of :meth:`health` (a worker thread unless the backend overrides it)."""
        await run_sync(self.health)

    def close(self) -> None:
        """Release connections, if any; the backend stays usable (the next use reconnects)."""
        return

    async def aclose(self) -> None:
        """Async twin of :meth:`close` (closing never blocks on the network)."""
        self.close()

    @abstractmethod
    def describe(self) -> str:
        """The backend as a short redacted URL-like text (no passwords, no I/O)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()!r})"
