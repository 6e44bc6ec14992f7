"""tausestack.storage (in development: see ROADMAP.md)."""

from tausestack.storage._version import __version__

__all__ = ["__version__"]
