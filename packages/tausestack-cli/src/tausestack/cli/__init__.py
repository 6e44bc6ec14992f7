"""tausestack.cli: the ``tausestack`` command (init, run, routes, deploy, doctor, db, storage, secrets).

Run it as ``tausestack --help`` or ``python -m tausestack.cli --help``. From Python::

    from tausestack.cli import main
    main(["routes", "--app-dir", "examples/ai-api"])
"""

from __future__ import annotations

from typing import Any

from tausestack.cli._version import __version__

__all__ = ["__version__", "app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the ``tausestack`` command with ``argv`` (default: ``sys.argv[1:]``)."""
    from tausestack.cli._app import main as _main

    _main(argv)


def __getattr__(name: str) -> Any:
    # ``app`` (the Typer app, for CliRunner tests) is built on first access, not at import.
    if name == "app":
        from tausestack.cli._app import app

        return app
    raise AttributeError(f"module 'tausestack.cli' has no attribute {name!r}")
