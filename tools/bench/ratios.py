"""Interleaved, side-by-side timing: the one way every benchmark here measures a ratio.

    from tools.bench.ratios import compare, report
    result = compare("json put+get 1 KiB", ours=lambda: ..., raw=lambda: ..., number=200)
    report([result])

Each batch runs ``number`` calls of ``ours`` then ``number`` calls of ``raw`` (alternating which goes
first), ``batches`` times; the ratio is median(ours) / median(raw). A ratio below 1 means TauseStack
is faster than the raw baseline.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

__all__ = ["Result", "compare", "acompare", "report"]


@dataclass(frozen=True)
class Result:
    name: str
    ours_seconds: float  # median seconds per call
    raw_seconds: float
    target: float | None = None

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.raw_seconds if self.raw_seconds else float("inf")

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "ok" if self.ratio <= self.target else "OVER TARGET"


def _time(func: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        func()
    return (time.perf_counter() - start) / number


def compare(
    name: str,
    *,
    ours: Callable[[], object],
    raw: Callable[[], object],
    number: int = 100,
    batches: int = 15,
    warmup: int = 1,
    target: float | None = None,
) -> Result:
    """Time ``ours`` and ``raw`` in interleaved batches; return the medians."""
    for _ in range(warmup):
        _time(ours, number)
        _time(raw, number)
    ours_times: list[float] = []
    raw_times: list[float] = []
    for batch in range(batches):
        if batch % 2:
            raw_times.append(_time(raw, number))
            ours_times.append(_time(ours, number))
        else:
            ours_times.append(_time(ours, number))
            raw_times.append(_time(raw, number))
    return Result(name, statistics.median(ours_times), statistics.median(raw_times), target)


async def _atime(func: Callable[[], Awaitable[object]], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        await func()
    return (time.perf_counter() - start) / number


async def acompare(
    name: str,
    *,
    ours: Callable[[], Awaitable[object]],
    raw: Callable[[], Awaitable[object]],
    number: int = 100,
    batches: int = 15,
    warmup: int = 1,
    target: float | None = None,
) -> Result:
    """The async twin of :func:`compare` (both sides awaited in the same event loop)."""
    for _ in range(warmup):
        await _atime(ours, number)
        await _atime(raw, number)
    ours_times: list[float] = []
    raw_times: list[float] = []
    for batch in range(batches):
        if batch % 2:
            raw_times.append(await _atime(raw, number))
            ours_times.append(await _atime(ours, number))
        else:
            ours_times.append(await _atime(ours, number))
            raw_times.append(await _atime(raw, number))
    return Result(name, statistics.median(ours_times), statistics.median(raw_times), target)


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:9.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:9.2f} ms"
    return f"{seconds:9.2f} s "


def report(results: Sequence[Result], title: str = "TauseStack / raw") -> str:
    """Print (and return) a table of results."""
    width = max([len(r.name) for r in results] + [10])
    lines = [title, f"{'path':<{width}}  {'tausestack':>12}  {'raw':>12}  {'ratio':>6}  target"]
    for r in results:
        target = f"≤ {r.target:.2f} {r.verdict}" if r.target is not None else ""
        lines.append(
            f"{r.name:<{width}}  {_fmt(r.ours_seconds)}  {_fmt(r.raw_seconds)}  {r.ratio:6.2f}  {target}"
        )
    text = "\n".join(lines)
    print(text)
    return text
