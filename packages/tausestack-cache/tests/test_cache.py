"""The Cache API on the memory backend (the default)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from tausestack import cache
from tausestack.cache import Cache, CacheStats, MemoryCacheBackend
from tausestack.core import ConfigurationError, InvalidInputError, InvalidKeyError


def test_module_default_is_memory_and_works_without_configuration() -> None:
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"
    assert cache.describe().startswith("memory://")
    assert isinstance(cache.get_cache().backend, MemoryCacheBackend)


def test_env_url_selects_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_CACHE_URL", "memory://?max_size=3")
    assert cache.describe() == "memory://?max_size=3"
    cache.set("a", 1)
    assert cache.get_cache().backend.max_size == 3  # type: ignore[attr-defined]


def test_unknown_option_and_scheme_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="max_sise"):
        Cache("memory://?max_sise=3")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_CACHE_URL"):
        Cache("nope://")


def test_get_default_and_stored_none() -> None:
    c = Cache()
    assert c.get("missing") is None
    assert c.get("missing", "fallback") == "fallback"
    c.set("none", None)
    assert c.get("none", "fallback") is None


@pytest.mark.parametrize("ttl", [0.05, timedelta(milliseconds=50), "50ms"])
def test_ttl_forms_expire(ttl: object) -> None:
    c = Cache()
    c.set("k", 1, ttl=ttl)  # type: ignore[arg-type]
    assert c.get("k") == 1
    time.sleep(0.08)
    assert c.get("k") is None


def test_ttl_strings_parse_via_core() -> None:
    c = Cache()
    c.set("k", 1, ttl="1h30m")
    assert c.get("k") == 1
    with pytest.raises(InvalidInputError, match="ttl"):
        c.set("k", 1, ttl="soon")
    with pytest.raises(InvalidInputError):
        c.set("k", 1, ttl=-1)


def test_ttl_zero_removes() -> None:
    c = Cache()
    c.set("k", 1)
    c.set("k", 2, ttl=0)
    assert c.get("k") is None


def test_default_ttl_from_url_and_argument() -> None:
    assert Cache("memory://?ttl=5m").default_ttl == 300
    assert Cache("memory://?ttl=5m", default_ttl="1m").default_ttl == 60
    c = Cache(default_ttl=0.05)
    c.set("k", 1)
    time.sleep(0.08)
    assert c.get("k") is None


def test_bad_keys_refused_before_io() -> None:
    c = Cache()
    for key in ("", 1, None, "x" * 1025):
        with pytest.raises(InvalidKeyError):
            c.get(key)  # type: ignore[arg-type]
        with pytest.raises(InvalidKeyError):
            c.set(key, 1)  # type: ignore[arg-type]
    assert len(c.backend) == 0  # type: ignore[arg-type]


def test_delete_add_incr() -> None:
    c = Cache()
    assert c.add("k", 1) is True
    assert c.add("k", 2) is False
    assert c.get("k") == 1
    assert c.delete("k") is True
    assert c.delete("k") is False
    assert c.incr("n") == 1
    assert c.incr("n", 5) == 6
    assert c.incr("n", -2) == 4
    c.set("s", "text")
    with pytest.raises(InvalidInputError, match="increment"):
        c.incr("s")
    with pytest.raises(InvalidInputError):
        c.incr("n", 1.5)  # type: ignore[arg-type]


def test_many() -> None:
    c = Cache()
    c.set_many({"a": 1, "b": None}, ttl=60)
    assert c.get_many(["a", "b", "c"]) == {"a": 1, "b": None}
    assert c.delete_many(["a", "c"]) == 1
    assert c.get_many(["a", "b"]) == {"b": None}


def test_namespaces_isolate_and_clear() -> None:
    c = Cache()
    c.set("1", "user", namespace="users")
    c.set("1", "order", namespace="orders")
    c.set("plain", True)
    assert c.get("1", namespace="users") == "user"
    assert c.get("1") is None
    assert c.clear(namespace="users") == 1
    assert c.get("1", namespace="users") is None
    assert c.get("1", namespace="orders") == "order"
    assert c.clear() == 2
    assert c.get("plain") is None


def test_instance_namespace_prefixes_every_key() -> None:
    backend = MemoryCacheBackend()
    c = Cache(backend, namespace="app")
    c.set("k", 1)
    assert backend.get("app:k") == 1
    assert c.full_key("k") == "app:k"
    assert c.full_key("k", namespace="other") == "other:k"


def test_tags_invalidate_across_namespaces() -> None:
    c = Cache()
    c.set("u1", 1, tags=["users"])
    c.set("u2", 2, tags=["users", "vip"], namespace="x")
    c.set("o1", 3, tags=["orders"])
    assert c.invalidate_tags("users") == 2
    assert c.get("u1") is None
    assert c.get("u2", namespace="x") is None
    assert c.get("o1") == 3
    with pytest.raises(InvalidInputError):
        c.set("k", 1, tags="users")


def test_delete_matching_glob_within_namespace() -> None:
    c = Cache()
    for key in ("user:1", "user:2", "user*:3", "order:1"):
        c.set(key, key, namespace="ns[1]")
    c.set("user:9", 9)
    assert c.delete_matching("user:*", namespace="ns[1]") == 2
    assert c.get("user*:3", namespace="ns[1]") == "user*:3"
    assert c.get("user:9") == 9


def test_lru_bound_evicts_least_recent() -> None:
    c = Cache("memory://?max_size=2")
    c.set("a", 1)
    c.set("b", 2)
    c.get("a")
    c.set("c", 3)
    assert c.get("b") is None
    assert c.get("a") == 1
    assert c.get("c") == 3
    assert len(c.backend) == 2  # type: ignore[arg-type]


def test_stats_count_hits_misses_sets_deletes() -> None:
    c = Cache()
    c.set("a", 1)
    c.get("a")
    c.get("b")
    c.delete("a")
    stats = c.stats()
    assert stats == CacheStats(hits=1, misses=1, sets=1, deletes=1, errors=0)
    assert stats.hit_rate == 0.5
    c.reset_stats()
    assert c.stats() == CacheStats()


def test_disabled_contexts() -> None:
    c = Cache()
    c.set("a", 1)
    with c.disabled():
        assert c.get("a") is None
        c.set("b", 2)
    assert c.get("a") == 1
    assert c.get("b") is None
    with cache.disabled():
        assert c.get("a") is None
        with cache.disabled():
            pass
        assert c.get("a") is None
    assert c.get("a") == 1


def test_values_are_kept_as_objects_on_memory() -> None:
    c = Cache()
    value = ({1, 2}, b"raw")
    c.set("k", value)
    assert c.get("k") is value


def test_configure_and_reset() -> None:
    custom = Cache("memory://?max_size=5")
    cache.configure(custom)
    assert cache.get_cache() is custom
    cache.configure("memory://?max_size=7")
    assert cache.describe() == "memory://?max_size=7"
    cache.reset()
    assert cache.describe() == "memory://"
    cache.health()
    cache.close()


@pytest.mark.anyio
async def test_async_twins() -> None:
    c = Cache()
    await c.aset("a", 1, ttl="1m", tags=["t"])
    assert await c.aget("a") == 1
    assert await c.aadd("a", 2) is False
    assert await c.aincr("n", 2) == 2
    await c.aset_many({"x": 1, "y": 2})
    assert await c.aget_many(["x", "y", "z"]) == {"x": 1, "y": 2}
    assert await c.adelete_many(["x"]) == 1
    assert await c.adelete("y") is True
    assert await c.adelete_matching("n*") == 1
    assert await c.ainvalidate_tags("t") == 1
    assert await c.aclear() == 0
    await c.ahealth()
    await c.aclose()
    await cache.aset("m", 1)
    assert await cache.aget("m") == 1
    assert await cache.aincr("c") == 1
    assert await cache.aclear() == 2


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tausestack.cache, tausestack.cache.backends.redis, tausestack.cache.backends.disk;"
        "bad=[m for m in ('redis','diskcache','boto3','pandas','msgpack') if m in sys.modules];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
