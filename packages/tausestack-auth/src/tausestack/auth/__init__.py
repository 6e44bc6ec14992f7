"""tausestack.auth (in development: see ROADMAP.md)."""

from tausestack.auth._version import __version__

__all__ = ["__version__"]
