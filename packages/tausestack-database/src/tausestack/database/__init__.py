"""tausestack.database (in development: see ROADMAP.md)."""

from tausestack.database._version import __version__

__all__ = ["__version__"]
