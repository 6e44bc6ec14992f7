from __future__ import annotations

import pytest

from tausestack.core import (
    AccessDeniedError,
    AuthenticationError,
    AuthError,
    BackendUnavailableError,
    ConfigurationError,
    InvalidInputError,
    InvalidKeyError,
    KeyNotFoundError,
    NotFoundError,
    ObjectNotFoundError,
    PermissionDeniedError,
    SyncInEventLoopError,
    TauseStackError,
)


@pytest.mark.parametrize(
    ("error", "builtins"),
    [
        (KeyNotFoundError, (KeyError, LookupError, NotFoundError)),
        (ObjectNotFoundError, (FileNotFoundError, OSError, NotFoundError)),
        (InvalidKeyError, (ValueError, InvalidInputError)),
        (BackendUnavailableError, (ConnectionError,)),
        (AccessDeniedError, (PermissionError,)),
        (PermissionDeniedError, (PermissionError, AuthError)),
        (AuthenticationError, (AuthError,)),
        (SyncInEventLoopError, (RuntimeError,)),
        (ConfigurationError, ()),
    ],
)
def test_each_error_is_also_the_builtin_users_catch(
    error: type[Exception], builtins: tuple[type, ...]
) -> None:
    exc = error("boom")
    assert isinstance(exc, TauseStackError)
    for builtin in builtins:
        assert isinstance(exc, builtin), builtin


def test_key_and_object_errors_read_plainly() -> None:
    # KeyError would quote the message; ours must read as written.
    assert str(KeyNotFoundError("secret 'X' is not set")) == "secret 'X' is not set"
    assert str(ObjectNotFoundError("no object 'a/b'")) == "no object 'a/b'"
    with pytest.raises(KeyError):
        raise KeyNotFoundError("x")
