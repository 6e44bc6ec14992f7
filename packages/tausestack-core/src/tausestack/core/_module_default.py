"""The lazy module default with the module-level lifecycle (``health``/``close`` and twins)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol, TypeVar

from tausestack.core._default import LazyDefault

__all__ = ["ModuleDefault", "SupportsLifecycle"]


class SupportsLifecycle(Protocol):
    """What a module default instance offers: a health check and closing, sync and async."""

    def health(self) -> None:
        """Return None when the backend answers; raise when it does not."""

    def ahealth(self) -> Awaitable[None]:
        """Async twin of :meth:`health`."""

    def close(self) -> None:
        """Release connections and pools (the instance may reopen them on next use)."""

    def aclose(self) -> Awaitable[None]:
        """Async twin of :meth:`close`."""


M = TypeVar("M", bound=SupportsLifecycle)


class ModuleDefault(LazyDefault[M]):
    """A :class:`LazyDefault` whose instance has ``health``/``close`` and their async twins.

    The module-level ``health()``, ``ahealth()``, ``close()`` and ``aclose()`` of an SDK module
    delegate here in one line::

        _default: ModuleDefault[Cache] = ModuleDefault(Cache, close=Cache.close)

        def health() -> None:
            \"\"\"Check the default cache's backend answers.\"\"\"
            _default.health()

    ``health``/``ahealth`` build the default (from the environment) when needed; ``close``/
    ``aclose`` never build anything and do nothing when the default was not built yet. Closing
    keeps the default configured: the instance reopens its connections on next use (unlike
    :meth:`reset`, which forgets it).
    """

    def health(self) -> None:
        """Check the default works, building it on first use.

        Returns None when healthy; whatever the instance's ``health()`` raises propagates
        (:class:`~tausestack.core.BackendUnavailableError`, :class:`~tausestack.core.ConfigurationError`...).

        >>> default.health()  # doctest: +SKIP
        """
        self.get().health()

    async def ahealth(self) -> None:
        """Async twin of :meth:`health` (awaits the instance's ``ahealth()``).

        >>> await default.ahealth()  # doctest: +SKIP
        """
        await self.get().ahealth()

    def close(self) -> None:
        """Close the default's connections if it was built; a no-op otherwise.

        The default stays configured (next use reopens); nothing is built by closing.

        >>> default.close()  # doctest: +SKIP
        """
        if self.is_built:
            self.get().close()

    async def aclose(self) -> None:
        """Async twin of :meth:`close` (awaits the instance's ``aclose()``); a no-op when not built.

        >>> await default.aclose()  # doctest: +SKIP
        """
        if self.is_built:
            await self.get().aclose()
