from __future__ import annotations

import threading

import anyio
import pytest

from tausestack.core import SyncInEventLoopError, async_twin, in_event_loop, run_async, run_sync


class Store:
    def __init__(self) -> None:
        self.threads: list[int] = []

    def get(self, key: str, *, upper: bool = False) -> str:
        self.threads.append(threading.get_ident())
        return key.upper() if upper else key

    aget = async_twin(get)


def test_async_twin_runs_in_a_worker_thread_and_keeps_its_name() -> None:
    store = Store()

    async def main() -> str:
        return await store.aget("k", upper=True)

    assert anyio.run(main) == "K"
    assert store.threads
    assert store.threads[0] != threading.get_ident()
    assert Store.aget.__name__ == "aget"


def test_run_sync_does_not_block_the_loop() -> None:
    order: list[str] = []
    gate = threading.Event()

    def blocking() -> str:
        gate.wait(5)
        order.append("blocking done")
        return "ok"

    async def ticker() -> None:
        order.append("loop ran while blocked")
        gate.set()

    async def main() -> str:
        async with anyio.create_task_group() as tg:
            tg.start_soon(ticker)
            return await run_sync(blocking)

    assert anyio.run(main) == "ok"
    assert order == ["loop ran while blocked", "blocking done"]


def test_run_async_from_sync_code() -> None:
    async def double(x: int) -> int:
        return x * 2

    assert not in_event_loop()
    assert run_async(double, 21) == 42


def test_run_async_inside_a_loop_refuses_instead_of_deadlocking() -> None:
    async def inner() -> int:
        return 1

    async def main() -> None:
        assert in_event_loop()
        with pytest.raises(SyncInEventLoopError, match="await its async twin"):
            run_async(inner)

    anyio.run(main)
