"""Database backends: :class:`SQLAlchemyBackend` (SQLite, PostgreSQL) and ``SupabaseBackend``.

``SupabaseBackend`` lives in :mod:`tausestack.database.backends.supabase` (extra ``[supabase]``).
"""

from tausestack.database.backends.base import AbstractDatabaseBackend, Page
from tausestack.database.backends.sqlalchemy import SQLAlchemyBackend

__all__ = ["AbstractDatabaseBackend", "Page", "SQLAlchemyBackend"]
