"""The CLI's own error, and how any error becomes one readable line plus the next step."""

from __future__ import annotations

from tausestack.core import (
    AccessDeniedError,
    AuthError,
    BackendUnavailableError,
    ConfigurationError,
    InvalidInputError,
    NotFoundError,
    TauseStackError,
    redact,
)

__all__ = ["CLIError", "describe_error"]


class CLIError(TauseStackError):
    """A command could not do what was asked; ``hint`` is the next step to print.

    >>> raise CLIError("directory 'shop' is not empty", hint="pass --force to write into it")
    Traceback (most recent call last):
    ...
    tausestack.cli._errors.CLIError: directory 'shop' is not empty
    """

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int = 1) -> None:
        super().__init__(message)
        self.hint = hint
        self.exit_code = exit_code


def describe_error(exc: BaseException) -> tuple[str, str]:
    """``(message, next step)`` for ``exc``: one line each, secrets redacted."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    hint = getattr(exc, "hint", None)
    if not isinstance(hint, str) or not hint:
        hint = _hint_for(exc)
    if not isinstance(exc, TauseStackError):
        message = f"{type(exc).__name__}: {message}"
    return redact(message), redact(hint)


def _hint_for(exc: BaseException) -> str:
    if isinstance(exc, ConfigurationError):
        return "fix the setting named above; `tausestack doctor` shows every module's configuration"
    if isinstance(exc, BackendUnavailableError | ConnectionError):
        return "check that the service is running and reachable; `tausestack doctor` checks every backend"
    if isinstance(exc, AccessDeniedError | AuthError | PermissionError):
        return "check the credentials configured for this backend"
    if isinstance(exc, NotFoundError | FileNotFoundError):
        return "check the name; list what exists with the matching `ls`/`list` command"
    if isinstance(exc, InvalidInputError | ValueError):
        return "correct the value above and run the command again (see --help)"
    if isinstance(exc, ImportError):
        return "install the missing package (see the message above) into this environment"
    return "run the command again with --debug to see the full stack trace"
