"""tausestack.secrets (in development: see ROADMAP.md)."""

from tausestack.secrets._version import __version__

__all__ = ["__version__"]
