"""Database migrations with Alembic, driven from Python (and by ``tausestack db ...``).

    from tausestack.database import migrations

    migrations.revision("create users", models="app.models")  # writes migrations/versions/xxxx_create_users.py
    migrations.upgrade()                                        # to head
    migrations.current()                                        # 'xxxx'
    migrations.downgrade()                                      # one step back
    migrations.history()                                        # [Revision(...), ...]

The first ``revision`` creates ``migrations/`` with an ``env.py`` that imports your model
modules itself (``MODELS`` in env.py, ``TAUSESTACK_DATABASE_MODELS`` or ``models=``), so
autogenerate always sees them. Importing this module does not import Alembic; calling does.
"""

from tausestack.database.migrations._api import (
    MigrationError,
    Revision,
    current,
    downgrade,
    history,
    init,
    revision,
    run_migrations,
    upgrade,
)

__all__ = [
    "revision",
    "upgrade",
    "downgrade",
    "current",
    "history",
    "init",
    "run_migrations",
    "Revision",
    "MigrationError",
]
