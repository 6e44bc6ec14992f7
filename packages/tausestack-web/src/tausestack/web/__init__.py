"""tausestack.web (in development: see ROADMAP.md)."""

from tausestack.web._version import __version__

__all__ = ["__version__"]
