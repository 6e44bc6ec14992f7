from __future__ import annotations

import threading
import time

from tausestack.core import LazyDefault


def test_built_once_under_concurrent_first_use() -> None:
    calls: list[int] = []

    def factory() -> object:
        calls.append(1)
        time.sleep(0.05)
        return object()

    default: LazyDefault[object] = LazyDefault(factory)
    assert not default.is_built
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(default.get())) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(item) for item in results}) == 1
    assert default.is_built


def test_configure_and_reset_close_the_old_instance() -> None:
    closed: list[str] = []
    default: LazyDefault[str] = LazyDefault(lambda: "from-env", close=closed.append)
    assert default.get() == "from-env"
    default.configure("explicit")
    assert default.get() == "explicit"
    assert closed == ["from-env"]
    default.reset()
    assert closed == ["from-env", "explicit"]
    assert not default.is_built
    assert default.get() == "from-env"
