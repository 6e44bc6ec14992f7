"""``create_app``: the FastAPI app factory of roadmap task 1.1."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from tausestack.core import get_logger
from tausestack.web._auth import AuthenticationMiddleware, make_enforcer
from tausestack.web._context import RequestContextMiddleware
from tausestack.web._declarations import AuthDeclaration
from tausestack.web._discovery import (
    DiscoveredRouter,
    DuplicateRouteError,
    RouterDiscoveryError,
    discover_routers,
    load_routers_config,
)
from tausestack.web._health import health_router
from tausestack.web._lifespan import Lifespan, make_lifespan
from tausestack.web._logging import configure_logging
from tausestack.web._openapi import install_openapi
from tausestack.web._problems import install_problem_handlers
from tausestack.web._routes import RouteView, iter_routes
from tausestack.web._settings import WebSettings
from tausestack.web._state import STATE_KEY, WebState

if TYPE_CHECKING:
    from tausestack.auth import AuthBackend

__all__ = ["create_app", "check_routes"]

_log = get_logger("web")

_PARAMETER = re.compile(r"\{([^}:]+)(:[^}]+)?\}")


def _resolve_dirs(
    settings: WebSettings,
    project_dir: str | Path | None,
    apis_dir: str | Path | None,
    routes_dir: str | Path | None,
) -> tuple[Path, Path, Path]:
    if project_dir is not None:
        project = Path(project_dir)
    elif apis_dir is not None and Path(apis_dir).is_absolute():
        project = Path(apis_dir).resolve().parent.parent  # <project>/app/apis
    else:
        project = Path.cwd()
    project = project.resolve()
    apis = project / (apis_dir if apis_dir is not None else settings.apis_dir)
    routes = project / (routes_dir if routes_dir is not None else settings.routes_dir)
    return project, apis, routes


def _router_rule(found: DiscoveredRouter, disabled: dict[str, bool], config: Path) -> AuthDeclaration:
    declared = found.options.auth if found.options is not None else AuthDeclaration()
    if found.name not in disabled:
        return declared
    required = not disabled[found.name]
    if declared.auth_required is not None and declared.auth_required != required:
        raise RouterDiscoveryError(
            f"router {found.name!r} ({found.module}) declares auth_required={declared.auth_required} "
            f"but {config} says disableAuth={disabled[found.name]}; keep one of them",
            module=found.module,
            path=found.path,
        )
    if declared.roles and not required:
        raise RouterDiscoveryError(
            f"router {found.name!r} ({found.module}) requires roles but {config} disables its auth",
            module=found.module,
            path=found.path,
        )
    return AuthDeclaration(auth_required=required, roles=declared.roles)


def _mount(app: FastAPI, state: WebState, found: DiscoveredRouter, rule: AuthDeclaration) -> None:
    options = found.options
    prefix = state.settings.api_prefix + (options.prefix if options is not None else "")
    tags: list[Any] | None = list(options.tags) if options is not None and options.tags else None
    for view in iter_routes(found.router.routes):
        if view.endpoint is None:
            continue
        previous = state.router_rules.get(view.endpoint)
        if previous is not None and previous != rule:
            raise RouterDiscoveryError(
                f"the endpoint {view.endpoint.__qualname__} is mounted by routers with different "
                f"auth rules ({found.module} is one); use one function per route",
                module=found.module,
                path=found.path,
            )
        state.router_rules[view.endpoint] = rule
    app.include_router(found.router, prefix=prefix, tags=tags)


def _add_health_routes(app: FastAPI, state: WebState) -> None:
    """Add ``/healthz`` and ``/readyz`` to the app's own router, public by construction.

    They are added flat rather than through ``include_router``: an included router costs every
    request that passes it one more match (a few microseconds each in FastAPI >= 0.130).
    """
    for route in health_router(state.settings).routes:
        if not isinstance(route, APIRoute):
            continue
        state.public_endpoints.add(route.endpoint)
        app.add_api_route(
            route.path,
            route.endpoint,
            methods=sorted(route.methods or ()),
            name=route.name,
            include_in_schema=False,
        )


def _describe(view: RouteView) -> str:
    endpoint = view.endpoint
    if endpoint is None:
        return view.name or "?"
    return f"{getattr(endpoint, '__module__', '?')}.{getattr(endpoint, '__qualname__', view.name)}"


def check_routes(app: FastAPI) -> None:
    """Refuse two routes with the same method and path (``/items/{id}`` equals ``/items/{key}``).

    Raises :class:`~tausestack.web.DuplicateRouteError` naming both endpoints and the module of
    the second one.
    """
    seen: dict[tuple[str, str], RouteView] = {}
    for view in iter_routes(app.router.routes):
        if view.kind == "mount":
            continue
        methods = view.methods if view.kind == "http" else ("WEBSOCKET",)
        for method in methods:
            if method == "HEAD" and "GET" in methods:
                continue
            key = (method, _PARAMETER.sub(lambda match: "{" + (match.group(2) or "") + "}", view.path))
            first = seen.get(key)
            if first is None:
                seen[key] = view
                continue
            module = str(getattr(view.endpoint, "__module__", "") or "") or None
            raise DuplicateRouteError(
                f"two routes answer {method} {view.path}: {_describe(first)} and {_describe(view)}",
                module=module,
            )


def create_app(
    settings: WebSettings | None = None,
    *,
    apis_dir: str | Path | None = None,
    routes_dir: str | Path | None = None,
    project_dir: str | Path | None = None,
    auth_backend: AuthBackend | str | None = None,
    lifespan: Lifespan | None = None,
    discover: bool = True,
    **fastapi_options: Any,
) -> FastAPI:
    """Build the FastAPI app: discovered routers, auth by default, health, CORS, request IDs, logs.

    Routers come from ``app/apis/<name>/__init__.py`` and ``app/routes/<name>.py`` (a module-level
    ``router``), mounted under ``settings.api_prefix`` (default ``/api``) in a fixed order.
    Every route requires a valid bearer token unless declared public (``router(auth_required=False)``,
    ``public=True`` on a route, ``@public``, or ``disableAuth`` in ``routers.json``); roles give 403.

    ``project_dir`` (default: the working directory, or two levels above an absolute
    ``apis_dir``) anchors relative directories and ``routers.json``. ``auth_backend`` (a backend
    or URL) replaces tausestack.auth's default for the middleware. ``lifespan`` is the app's own,
    run inside TauseStack's. Other keywords go to ``FastAPI(...)``.

    Errors: a :class:`~tausestack.web.RouterDiscoveryError` naming the module when a router module
    fails to import, two routers share a name, or two routes share a method and path.

    >>> from tausestack.web import create_app
    >>> app = create_app()          # main.py: uvicorn main:app
    """
    settings = settings if settings is not None else WebSettings()
    project, apis, routes = _resolve_dirs(settings, project_dir, apis_dir, routes_dir)
    backend: AuthBackend | None
    if isinstance(auth_backend, str):
        from tausestack.auth import create_backend

        backend = create_backend(auth_backend)
    else:
        backend = auth_backend
    state = WebState(settings=settings, auth_backend=backend)

    if settings.configure_logging:
        configure_logging(log_format=settings.log_format, level=settings.log_level)

    docs = settings.docs
    options: dict[str, Any] = {
        "title": settings.title,
        "version": settings.version,
        "description": settings.description,
        "openapi_url": "/openapi.json" if docs else None,
        "docs_url": "/docs" if docs else None,
        "redoc_url": "/redoc" if docs else None,
    }
    options.update(fastapi_options)
    extra_dependencies = list(options.pop("dependencies", None) or [])
    app = FastAPI(
        lifespan=make_lifespan(state, lifespan),
        dependencies=[Depends(make_enforcer(state)), *extra_dependencies],
        **options,
    )
    setattr(app.state, STATE_KEY, state)
    install_problem_handlers(app, settings)

    _add_health_routes(app, state)

    if discover:
        state.routers = discover_routers(project, apis_dir=apis, routes_dir=routes)
        config_path = project / settings.routers_config
        disabled = load_routers_config(config_path)
        names = {found.name for found in state.routers}
        for unknown in sorted(set(disabled) - names):
            _log.warning("%s names router %r, which was not discovered", config_path, unknown)
        for found in state.routers:
            _mount(app, state, found, _router_rule(found, disabled, config_path))
    check_routes(app)
    install_openapi(app, state)

    app.add_middleware(AuthenticationMiddleware, state=state)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=settings.cors_allow_credentials,
            allow_methods=settings.cors_allow_methods,
            allow_headers=settings.cors_allow_headers,
            expose_headers=[settings.request_id_header],
            max_age=settings.cors_max_age,
        )
    app.add_middleware(RequestContextMiddleware, settings=settings)
    _log.debug("created app with %d routers from %s", len(state.routers), project)
    return app
