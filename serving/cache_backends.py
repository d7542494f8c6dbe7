"""A Redis cache that answers like an empty cache while Redis is unreachable.

Everything this site keeps in Redis can be recomputed or forgotten: finished
pages, Wagtail's site and page lookups, rate-limit counts. None of it is worth a
server error, so while Redis is down every read is a miss and every write is
dropped, and pages, API reads and submissions go on without it. What must not
be forgotten (a spent verification) is kept in the database instead.

After a failure Redis is left alone for ``RETRY_SECONDS``, so a Redis that hangs
instead of refusing costs one socket timeout per process, not one per call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (ConnectionError, TimeoutError, OSError)
RETRY_SECONDS = 2.0


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client, with one ``redis.Redis`` per connection pool.

    Django makes a new ``redis.Redis`` for every cache call, and making one
    copies its table of some 170 response callbacks: a cost a page served from
    the cache pays on every read. A ``redis.Redis`` may be shared (its pool
    hands each command a connection), so one per pool is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    # Shared by every thread's instance: one failure pauses all of them.
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def _call(self, method, *args, miss, **kwargs):
        if time.monotonic() < FailOpenRedisCache._down_until:
            return miss
        try:
            return getattr(super(), method)(*args, **kwargs)
        except UNAVAILABLE as error:
            FailOpenRedisCache._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning("Cache unavailable, serving without it: %s", error)
            return miss

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version, miss=default)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version, miss={})

    def has_key(self, key, version=None):
        return self._call("has_key", key, version, miss=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version, miss=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version, miss=None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version, miss=list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version, miss=False)

    def delete(self, key, version=None):
        return self._call("delete", key, version, miss=False)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version, miss=None)

    def clear(self):
        return self._call("clear", miss=False)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", key, delta, version, miss=None)
        if result is None:
            # What Django's caches raise for a key they do not hold.
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result
