"""tausestack.database: SQLAlchemy 2 CRUD, transactions and raw SQL, sync and async; migrations.

Zero configuration uses SQLite at ``.tausestack/app.db``; ``TAUSESTACK_DATABASE_URL`` switches to
PostgreSQL (``postgresql+psycopg://...``) or Supabase (``supabase://...``)::

    from tausestack import database
    from tausestack.database import Base

    user = database.create(User, {"name": "Ada"})
    database.find(User, where={"age__gt": 30}, order_by="-age", limit=10)
    with database.transaction():
        ...

Module-level calls go to a lazily built default :class:`Database`; ``Database(url)`` builds an
independent one. Migrations: :mod:`tausestack.database.migrations`.
"""

from __future__ import annotations

from typing import Any

from tausestack.core import ModuleDefault
from tausestack.database._base import Base
from tausestack.database._database import Database, registry
from tausestack.database._engines import EngineOptions
from tausestack.database._errors import IntegrityConflictError, InvalidQueryError, RecordNotFoundError
from tausestack.database._filters import OPERATORS
from tausestack.database._settings import DatabaseSettings
from tausestack.database._version import __version__
from tausestack.database.backends.base import AbstractDatabaseBackend, Page
from tausestack.database.backends.sqlalchemy import SQLAlchemyBackend

__all__ = [
    "__version__",
    # instances and models
    "Database",
    "Base",
    "Page",
    "DatabaseSettings",
    "EngineOptions",
    "OPERATORS",
    # backends
    "AbstractDatabaseBackend",
    "SQLAlchemyBackend",
    "registry",
    # errors
    "InvalidQueryError",
    "RecordNotFoundError",
    "IntegrityConflictError",
    # the module default
    "get_database",
    "configure",
    "reset",
    "health",
    "ahealth",
    "close",
    "aclose",
    "describe",
]


def _close(database: Database) -> None:
    database.close()


_default: ModuleDefault[Database] = ModuleDefault(Database, close=_close)

# Database methods reachable as module functions (database.create(...)), on the lazy default.
_DELEGATED = frozenset(
    {
        *(f"{prefix}{name}" for prefix in ("", "a") for name in (
            "create", "create_many", "get", "update", "delete", "upsert", "find", "list", "page",
            "count", "transaction", "session", "execute", "fetch_all", "fetch_one", "rpc",
        )),
        "engine",
        "async_engine",
    }
)  # fmt: skip


def get_database() -> Database:
    """The module default :class:`Database` (built from the environment on first use)."""
    return _default.get()


def configure(url_or_backend: str | AbstractDatabaseBackend | Database) -> None:
    """Make this URL (or ``secret:NAME``), backend or :class:`Database` the module default.

    >>> from tausestack import database
    >>> database.configure("sqlite://")
    >>> database.fetch_one("SELECT 1 AS one")
    {'one': 1}
    >>> database.reset()
    """
    _default.configure(url_or_backend if isinstance(url_or_backend, Database) else Database(url_or_backend))


def reset() -> None:
    """Forget (and close) the default; the next call reads the environment again."""
    _default.reset()


# The module lifecycle (tausestack.core.ModuleDefault): health()/ahealth() check the default
# (building it on first use); close()/aclose() release its connections if it was built.
health = _default.health
ahealth = _default.ahealth
close = _default.close
aclose = _default.aclose


def describe() -> str:
    """The default database's URL without its password (opens no connection)."""
    return _default.get().describe()


def __getattr__(name: str) -> Any:
    if name in _DELEGATED:
        return getattr(_default.get(), name)
    raise AttributeError(f"module 'tausestack.database' has no attribute {name!r}")
