"""tausestack.web: the FastAPI app factory, router discovery, the router decorator, auth by default.

>>> from tausestack.web import create_app
>>> app = create_app()   # main.py; then: uvicorn main:app

Routers are discovered in ``app/apis/<name>/__init__.py`` (the Databutton layout) and
``app/routes/<name>.py`` and mounted under ``/api``. Every route requires a bearer token unless
declared public. FastAPI is imported on first use of a name that needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tausestack.core import lazy_exports
from tausestack.web._declarations import AuthDeclaration, AuthRequirement, public, requires_auth
from tausestack.web._settings import WebSettings
from tausestack.web._version import __version__

if TYPE_CHECKING:
    from tausestack.web._app import check_routes, create_app
    from tausestack.web._context import current_request_id
    from tausestack.web._discovery import (
        DiscoveredRouter,
        DuplicateRouteError,
        RouterDiscoveryError,
        RouterImportError,
        RouterNameClashError,
    )
    from tausestack.web._health import CheckResult, check_readiness
    from tausestack.web._logging import JsonFormatter, configure_logging
    from tausestack.web._problems import problem_response
    from tausestack.web._router import RouterOptions, TauseStackRouter, router
    from tausestack.web._routes import RouteInfo, route_table

__all__ = [
    "__version__",
    # app
    "create_app",
    "WebSettings",
    "check_routes",
    # routers
    "router",
    "TauseStackRouter",
    "RouterOptions",
    "public",
    "requires_auth",
    "AuthDeclaration",
    "AuthRequirement",
    "route_table",
    "RouteInfo",
    "DiscoveredRouter",
    # errors
    "RouterDiscoveryError",
    "RouterImportError",
    "RouterNameClashError",
    "DuplicateRouteError",
    "problem_response",
    # operations
    "check_readiness",
    "CheckResult",
    "current_request_id",
    "configure_logging",
    "JsonFormatter",
]

_LAZY = {
    "create_app": "tausestack.web._app",
    "check_routes": "tausestack.web._app",
    "router": "tausestack.web._router",
    "TauseStackRouter": "tausestack.web._router",
    "RouterOptions": "tausestack.web._router",
    "route_table": "tausestack.web._routes",
    "RouteInfo": "tausestack.web._routes",
    "DiscoveredRouter": "tausestack.web._discovery",
    "RouterDiscoveryError": "tausestack.web._discovery",
    "RouterImportError": "tausestack.web._discovery",
    "RouterNameClashError": "tausestack.web._discovery",
    "DuplicateRouteError": "tausestack.web._discovery",
    "problem_response": "tausestack.web._problems",
    "check_readiness": "tausestack.web._health",
    "CheckResult": "tausestack.web._health",
    "current_request_id": "tausestack.web._context",
    "configure_logging": "tausestack.web._logging",
    "JsonFormatter": "tausestack.web._logging",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
