"""The module-level default cache, built from ``TAUSESTACK_CACHE_URL`` on first use."""

from __future__ import annotations

from tausestack.cache._cache import Cache
from tausestack.core import LazyDefault

__all__ = ["default"]

default: LazyDefault[Cache] = LazyDefault(Cache, close=Cache.close)
