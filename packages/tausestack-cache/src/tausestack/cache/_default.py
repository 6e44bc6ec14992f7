"""The module-level default cache, built from ``TAUSESTACK_CACHE_URL`` on first use."""

from __future__ import annotations

from tausestack.cache._cache import Cache
from tausestack.core import ModuleDefault

__all__ = ["default"]

default: ModuleDefault[Cache] = ModuleDefault(Cache, close=Cache.close)
