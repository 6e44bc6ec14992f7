from __future__ import annotations

import anyio
import pytest

from tausestack.core import BackendUnavailableError, LazyDefault, ModuleDefault


class Backend:
    """Records lifecycle calls; ``healthy=False`` makes health checks fail."""

    built = 0

    def __init__(self, healthy: bool = True) -> None:
        Backend.built += 1
        self.healthy = healthy
        self.calls: list[str] = []

    def health(self) -> None:
        self.calls.append("health")
        if not self.healthy:
            raise BackendUnavailableError("down")

    async def ahealth(self) -> None:
        self.calls.append("ahealth")
        if not self.healthy:
            raise BackendUnavailableError("down")

    def close(self) -> None:
        self.calls.append("close")

    async def aclose(self) -> None:
        self.calls.append("aclose")


@pytest.fixture(autouse=True)
def _count() -> None:
    Backend.built = 0


def test_is_a_lazy_default() -> None:
    default: ModuleDefault[Backend] = ModuleDefault(Backend)
    assert isinstance(default, LazyDefault)
    assert default.get() is default.get()


def test_health_builds_and_delegates() -> None:
    default: ModuleDefault[Backend] = ModuleDefault(Backend)
    assert default.health() is None
    assert default.is_built
    assert default.get().calls == ["health"]


def test_health_errors_propagate() -> None:
    default: ModuleDefault[Backend] = ModuleDefault(lambda: Backend(healthy=False))
    with pytest.raises(BackendUnavailableError, match="down"):
        default.health()

    async def main() -> None:
        await default.ahealth()

    with pytest.raises(BackendUnavailableError, match="down"):
        anyio.run(main)
    assert default.get().calls == ["health", "ahealth"]


def test_ahealth_awaits_the_async_twin() -> None:
    default: ModuleDefault[Backend] = ModuleDefault(Backend)
    anyio.run(default.ahealth)
    assert default.get().calls == ["ahealth"]


def test_close_and_aclose_build_nothing() -> None:
    default: ModuleDefault[Backend] = ModuleDefault(Backend)
    default.close()
    anyio.run(default.aclose)
    assert not default.is_built
    assert Backend.built == 0


def test_close_and_aclose_keep_the_default_configured() -> None:
    default: ModuleDefault[Backend] = ModuleDefault(Backend)
    instance = Backend()
    default.configure(instance)
    default.close()
    anyio.run(default.aclose)
    assert instance.calls == ["close", "aclose"]
    assert default.is_built
    assert default.get() is instance


def test_reset_still_closes_through_the_close_callback() -> None:
    default: ModuleDefault[Backend] = ModuleDefault(Backend, close=Backend.close)
    instance = default.get()
    default.reset()
    assert instance.calls == ["close"]
    assert not default.is_built
