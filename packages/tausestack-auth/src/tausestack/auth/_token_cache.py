"""A bounded cache of tokens already verified, keyed by the whole token."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["VerifiedTokenCache"]

T = TypeVar("T")


class VerifiedTokenCache(Generic[T]):
    """token -> what verification learnt, until the token's ``exp``; at most ``maxsize`` entries.

    Only successful verifications are stored, under the exact token text, so a token differing
    in one character is verified from scratch. An entry is dropped at its expiry; revocation is
    the caller's check on the cached value (and :meth:`discard` / :meth:`clear`). When full, the
    oldest entry goes. Reads take no lock and never write.

    >>> cache: VerifiedTokenCache[str] = VerifiedTokenCache(maxsize=2)
    >>> cache.put("t", "uid-1", expires_at=2e9)
    >>> cache.get("t", now=1e9)
    'uid-1'
    """

    __slots__ = ("_entries", "_lock", "maxsize")

    def __init__(self, maxsize: int = 10_000) -> None:
        self.maxsize = maxsize
        self._entries: dict[str, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, token: str, now: float) -> T | None:
        """The value stored for ``token`` if it has not expired at ``now``."""
        entry = self._entries.get(token)
        if entry is None or now >= entry[0]:
            return None  # an expired entry stays until evicted: reads never mutate
        return entry[1]

    def put(self, token: str, value: T, *, expires_at: float) -> None:
        """Remember ``value`` for ``token`` until ``expires_at`` (epoch seconds)."""
        if self.maxsize <= 0:
            return
        with self._lock:
            entries = self._entries
            while len(entries) >= self.maxsize:
                del entries[next(iter(entries))]
            entries[token] = (expires_at, value)

    def discard(self, predicate: Callable[[T], bool]) -> int:
        """Drop every entry whose value matches ``predicate``; returns how many."""
        with self._lock:
            doomed = [token for token, (_, value) in self._entries.items() if predicate(value)]
            for token in doomed:
                del self._entries[token]
        return len(doomed)

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"VerifiedTokenCache(size={len(self)}, maxsize={self.maxsize})"
