"""Request IDs, the access log and the last-resort 500, as one pure ASGI middleware."""

from __future__ import annotations

import logging
import os
import re
import time
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tausestack.core import get_logger

if TYPE_CHECKING:
    from tausestack.web._settings import WebSettings

__all__ = ["RequestContextMiddleware", "current_request_id"]

_request_id: ContextVar[str | None] = ContextVar("tausestack_request_id", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._:@+=-]{1,128}$")

_access = get_logger("web.access")
_errors = get_logger("web.errors")


def current_request_id() -> str | None:
    """The ID of the request being served (``None`` outside a request).

    It is the caller's ``X-Request-ID`` when that is a safe token (letters, digits, ``._:@+=-``,
    up to 128 characters), otherwise a new random one; every response carries it back.
    """
    return _request_id.get()


class RequestContextMiddleware:
    """Give each request an ID (header in, header out, ``current_request_id()``, every log line),
    write one access-log line, and turn an unhandled exception into a problem-details 500."""

    def __init__(self, app: ASGIApp, *, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings
        self.header = settings.request_id_header.lower().encode("latin-1")
        self.access_log = settings.access_log

    def _incoming_id(self, scope: Scope) -> str:
        for name, value in scope.get("headers", ()):
            if name == self.header:
                text: str = value.decode("latin-1")
                if _VALID_ID.match(text):
                    return text
                break
        return os.urandom(16).hex()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        request_id = self._incoming_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        token = _request_id.set(request_id)
        header = (self.header, request_id.encode("latin-1"))
        started = time.perf_counter()
        status_code = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status_code, response_started
            message_type = message["type"]
            if message_type == "http.response.start":
                response_started = True
                status_code = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            elif message_type == "websocket.accept":
                response_started = True
                status_code = 101
                message["headers"] = [*message.get("headers", ()), header]
            elif message_type == "websocket.close" and not response_started:
                status_code = 403
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if kind != "http" or response_started:
                raise
            status_code = 500
            _errors.exception(
                "unhandled %s on %s %s", type(exc).__name__, scope.get("method"), scope.get("path")
            )
            from tausestack.web._problems import unexpected_error_response

            response = unexpected_error_response(exc, str(scope.get("path", "")), self.settings)
            await response(scope, receive, send_with_id)
        finally:
            if self.access_log and _access.isEnabledFor(logging.INFO):
                self._log_access(scope, status_code, started)
            _request_id.reset(token)

    def _log_access(self, scope: Scope, status_code: int, started: float) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        method = scope.get("method", "WEBSOCKET")
        path = scope.get("path", "")
        user = (scope.get("state") or {}).get("user")
        uid: Any = getattr(user, "uid", None)
        _access.info(
            "%s %s %s %.1fms",
            method,
            path,
            status_code,
            duration_ms,
            extra={
                "http": {
                    "method": method,
                    "path": path,
                    "status": status_code,
                    "duration_ms": round(duration_ms, 2),
                },
                "user": uid,
            },
        )
