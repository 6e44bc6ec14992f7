"""tausestack.cache (in development: see ROADMAP.md)."""

from tausestack.cache._version import __version__

__all__ = ["__version__"]
