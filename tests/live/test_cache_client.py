"""The cache keeps one Redis client per pool, and it outlives a Redis restart."""

import pytest

from serving.cache_backends import FailOpenRedisCache

pytestmark = pytest.mark.fault


@pytest.fixture
def cache(private_redis, monkeypatch):
    monkeypatch.setattr(FailOpenRedisCache, "_down_until", 0.0)
    return FailOpenRedisCache(private_redis.url, {"OPTIONS": {"socket_timeout": 0.5}})


def test_calls_share_one_client(cache):
    cache.set("sidan", "sparad")
    assert cache.get("sidan") == "sparad"
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client


def test_the_shared_client_reads_again_after_redis_restarts(
    cache, private_redis, monkeypatch
):
    cache.set("sidan", "sparad")
    private_redis.kill()
    assert cache.get("sidan") is None  # fails open: a miss, not an error

    private_redis.start()  # empty: nothing was saved to disk
    monkeypatch.setattr(FailOpenRedisCache, "_down_until", 0.0)
    cache.set("sidan", "sparad igen")
    assert cache.get("sidan") == "sparad igen"
