"""Errors as JSON problem details (RFC 9457), never a stack trace to a client in production."""

from __future__ import annotations

import traceback
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tausestack.core import (
    AccessDeniedError,
    AuthenticationError,
    BackendUnavailableError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    TauseStackError,
    UnsupportedOperationError,
    get_logger,
    redact,
)
from tausestack.web._context import current_request_id
from tausestack.web._settings import WebSettings

__all__ = ["PROBLEM_JSON", "problem_response", "install_problem_handlers", "status_for"]

PROBLEM_JSON = "application/problem+json"

_log = get_logger("web.errors")

_STATUS_BY_ERROR: tuple[tuple[type[BaseException], int], ...] = (
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (AccessDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (InvalidInputError, 400),
    (UnsupportedOperationError, 501),
    (BackendUnavailableError, 503),
)


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def status_for(exc: BaseException) -> int:
    """The HTTP status of a TauseStack error (500 for anything unexpected)."""
    for error_type, code in _STATUS_BY_ERROR:
        if isinstance(exc, error_type):
            return code
    return 500


#: RFC 9110 names, the same on every Python version (3.10's ``http`` still says "Entity").
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def _title(status_code: int) -> str:
    if status_code in _TITLES:
        return _TITLES[status_code]
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def problem_response(
    status_code: int,
    *,
    detail: Any = None,
    instance: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A ``application/problem+json`` response carrying the request ID."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _title(status_code),
        "status": status_code,
    }
    if detail is not None:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return ProblemResponse(body, status_code=status_code, headers=headers)


def _exception_extra(exc: BaseException, settings: WebSettings) -> dict[str, Any]:
    if not settings.show_errors:
        return {}
    return {
        "exception": type(exc).__name__,
        "traceback": redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))),
    }


def unexpected_error_response(exc: BaseException, path: str, settings: WebSettings) -> Response:
    """The 500 answer to an unhandled exception (details only with ``debug`` outside production)."""
    detail = (
        redact(f"{type(exc).__name__}: {exc}") if settings.show_errors else "An unexpected error occurred"
    )
    return problem_response(500, detail=detail, instance=path, **_exception_extra(exc, settings))


def install_problem_handlers(app: FastAPI, settings: WebSettings) -> None:
    """Render HTTP errors, validation errors and TauseStack errors as problem details."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if exc.detail is not None else _title(exc.status_code)
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code in (204, 304):
            return Response(status_code=exc.status_code, headers=headers)
        return problem_response(exc.status_code, detail=detail, instance=request.url.path, headers=headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {
                "loc": list(error.get("loc", ())),
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        return problem_response(
            422, detail="The request is not valid", instance=request.url.path, errors=errors
        )

    async def tausestack_error(request: Request, exc: Exception) -> Response:
        code = status_for(exc)
        if code >= 500:
            _log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
            if code == 503:
                detail = (
                    redact(str(exc)) if not settings.is_production else "A backend service is unavailable"
                )
                return problem_response(503, detail=detail, instance=request.url.path)
            return unexpected_error_response(exc, request.url.path, settings)
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
        return problem_response(code, detail=redact(str(exc)), instance=request.url.path, headers=headers)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(TauseStackError, tausestack_error)
