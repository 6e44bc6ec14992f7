"""The ``tausestack`` command: the root Typer app, global options and error handling.

Only typer is imported here. Every command's implementation lives in its own module, imported
inside the command body, so ``tausestack --help`` stays fast.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tausestack.cli._version import __version__

__all__ = ["app", "main"]

_DEBUG_KEY = "tausestack.debug"


class _Group(TyperGroup):
    """Turns any unexpected exception into one readable line plus the next step.

    With ``--debug`` the exception propagates with its stack trace instead.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.meta.get(_DEBUG_KEY):
                raise
            from tausestack.cli._console import print_error
            from tausestack.cli._errors import describe_error

            message, hint = describe_error(exc)
            print_error(message, hint)
            raise typer.Exit(getattr(exc, "exit_code", 1) if isinstance(exc, _cli_error()) else 1) from None


def _cli_error() -> type[Exception]:
    from tausestack.cli._errors import CLIError

    return CLIError


app = typer.Typer(
    name="tausestack",
    cls=_Group,
    help="TauseStack: create, run, inspect and deploy FastAPI data/AI backends.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"tausestack-cli {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show full stack traces on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_show_version, is_eager=True),
    ] = False,
) -> None:
    """TauseStack: create, run, inspect and deploy FastAPI data/AI backends."""
    ctx.meta[_DEBUG_KEY] = debug


def _register() -> None:
    # Command modules declare signatures only; their bodies import the implementations.
    from tausestack.cli import _cmd_data, _cmd_db, _cmd_deploy, _cmd_doctor, _cmd_project

    for module in (_cmd_project, _cmd_deploy, _cmd_doctor, _cmd_db, _cmd_data):
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the ``tausestack`` command (the console script and ``python -m tausestack.cli``)."""
    app(args=sys.argv[1:] if argv is None else argv, prog_name="tausestack")
