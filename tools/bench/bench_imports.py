"""Cold import time of every package (a fresh interpreter each time), beside a bare ``import pydantic``.

Targets (DESIGN.md section 5): ``import tausestack.storage`` ≤ 150 ms cold. Each figure is the
median of several fresh interpreters; the ratio column compares with ``import pydantic_settings``,
the floor every package sits on.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

MODULES = [
    "tausestack.core",
    "tausestack.storage",
    "tausestack.secrets",
    "tausestack.cache",
    "tausestack.notify",
    "tausestack.auth",
    "tausestack.database",
    "tausestack.web",
    "tausestack.cli",
]
BASELINE = "pydantic_settings"
RUNS = 7
TARGETS_MS = {"tausestack.storage": 150.0}


def cold_import_seconds(module: str) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    interpreter = cold_import_seconds("sys")
    baseline = cold_import_seconds(BASELINE) - interpreter
    print(
        f"interpreter start-up {interpreter * 1e3:.0f} ms (subtracted); import {BASELINE}: {baseline * 1e3:.0f} ms"
    )
    print(f"{'module':<22} {'cold import':>12} {'/ ' + BASELINE:>20}  target")
    for module in MODULES:
        try:
            seconds = cold_import_seconds(module) - interpreter
        except subprocess.CalledProcessError:
            print(f"{module:<22} {'not installed':>12}")
            continue
        target = TARGETS_MS.get(module)
        verdict = "" if target is None else f"≤ {target:.0f} ms {'ok' if seconds * 1e3 <= target else 'OVER'}"
        print(f"{module:<22} {seconds * 1e3:9.0f} ms {seconds / baseline:20.2f}  {verdict}")


if __name__ == "__main__":
    main()
