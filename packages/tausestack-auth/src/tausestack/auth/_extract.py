"""Finding the token in a request or WebSocket handshake (shared with tausestack.web)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

__all__ = ["extract_token", "WEBSOCKET_PROTOCOL_PREFIX"]

#: The WebSocket subprotocol that carries a token, as Databutton's clients send it.
WEBSOCKET_PROTOCOL_PREFIX = "Authorization.Bearer."

_cookie_name: list[str | None] = []


def _configured_cookie() -> str | None:
    if not _cookie_name:
        from tausestack.auth._settings import AuthSettings

        _cookie_name.append(AuthSettings().cookie or None)
    return _cookie_name[0]


def set_cookie_name(name: str | None) -> None:
    """Use ``name`` as the auth cookie (``None`` turns cookies off); forgotten by ``reset()``."""
    _cookie_name[:] = [name or None]


def forget_cookie_name() -> None:
    """Re-read ``TAUSESTACK_AUTH_COOKIE`` on next use."""
    _cookie_name.clear()


def extract_token(connection: HTTPConnection, *, cookie: str | None = None) -> str | None:
    """The bearer token a client sent, or ``None``.

    Looked for, in order: the ``Authorization: Bearer <token>`` header; the cookie named
    ``cookie`` (default: ``TAUSESTACK_AUTH_COOKIE``, off when unset); and, for a WebSocket
    handshake, the ``Sec-WebSocket-Protocol: Authorization.Bearer.<token>`` subprotocol that
    Databutton's clients send. Nothing is verified here.

    >>> from starlette.requests import Request
    >>> scope = {"type": "http", "headers": [(b"authorization", b"Bearer abc.def.ghi")]}
    >>> extract_token(Request(scope))
    'abc.def.ghi'
    """
    headers = connection.headers
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() == "bearer":
            credentials = credentials.strip()
            return credentials or None
    cookie_name = cookie if cookie is not None else _configured_cookie()
    if cookie_name:
        value = connection.cookies.get(cookie_name)
        if value:
            return value
    if connection.scope.get("type") == "websocket":
        protocols = headers.get("sec-websocket-protocol")
        if protocols:
            for protocol in protocols.split(","):
                protocol = protocol.strip()
                if protocol.startswith(WEBSOCKET_PROTOCOL_PREFIX):
                    return protocol[len(WEBSOCKET_PROTOCOL_PREFIX) :] or None
    return None
