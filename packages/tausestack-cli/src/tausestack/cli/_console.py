"""Output helpers: one rich console for stdout and one for stderr, built on first use."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "err_console", "print_error", "success", "note"]


@functools.cache
def console() -> Console:
    """The stdout console (rich is imported on first use, never at CLI start-up)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@functools.cache
def err_console() -> Console:
    """The stderr console, for errors and warnings."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_error(message: str, hint: str) -> None:
    """Print ``Error: message`` and ``Next step: hint`` on stderr (markup in them is not interpreted)."""
    from rich.text import Text

    err = err_console()
    err.print(Text.assemble(("Error: ", "bold red"), message))
    err.print(Text.assemble(("Next step: ", "bold"), hint))


def success(message: str) -> None:
    """A green check line on stdout (``message`` may use rich markup)."""
    console().print(f"[green]✓[/green] {message}")


def note(message: str) -> None:
    """A dim informative line on stdout (``message`` may use rich markup)."""
    console().print(f"[dim]{message}[/dim]")
