"""tausestack.notify (in development: see ROADMAP.md)."""

from tausestack.notify._version import __version__

__all__ = ["__version__"]
