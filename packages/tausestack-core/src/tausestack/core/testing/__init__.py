"""Real-service test harness shared by every TauseStack package and by apps' own tests.

Enable the fixtures in a ``conftest.py``::

    pytest_plugins = ["tausestack.core.testing.pytest_plugin"]

Fixtures: ``postgres`` (a throwaway database per run), ``redis_url`` (a database index per run,
flushed before each test), ``moto`` (a ``moto[server]`` process for S3, SES and Secrets Manager,
reset before each test), ``firebase_emulator`` (the Firebase Auth emulator, accounts cleared
before each test). A missing service skips the test with the reason, except under
``TAUSESTACK_TEST_REQUIRE_SERVICES=1`` (CI), where it fails.
"""

from tausestack.core.testing._process import ServiceProcess, free_port, wait_until
from tausestack.core.testing._services import (
    REQUIRE_SERVICES_ENV,
    FirebaseEmulator,
    MotoServer,
    PostgresService,
    RedisService,
    service_missing,
    services_required,
)

__all__ = [
    "REQUIRE_SERVICES_ENV",
    "services_required",
    "service_missing",
    "free_port",
    "wait_until",
    "ServiceProcess",
    "PostgresService",
    "RedisService",
    "MotoServer",
    "FirebaseEmulator",
]
