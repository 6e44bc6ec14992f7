"""tausestack.cli (in development: see ROADMAP.md)."""

from tausestack.cli._version import __version__

__all__ = ["__version__"]
