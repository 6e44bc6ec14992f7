"""Hit, miss and error counters."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CacheStats"]


@dataclass(frozen=True)
class CacheStats:
    """A snapshot of a cache's counters since it was built (or since ``reset_stats()``).

    ``errors`` counts backend failures (served as misses when ``fail_open``) and refused payloads.
    Counters are updated without a lock, so under heavy threading they are close, not exact.
    """

    hits: int = 0
    misses: int = 0
    sets: int = 0
    deletes: int = 0
    errors: int = 0

    @property
    def hit_rate(self) -> float:
        """``hits / (hits + misses)``, or 0.0 before any read."""
        reads = self.hits + self.misses
        return self.hits / reads if reads else 0.0
