"""Replay protection and rate limits live in Redis, so they hold across workers.

Each web worker has its own connection to the shared cache; a solution spent
through one worker must be refused by every other, even when they race.
"""

import threading

from django.core.cache import caches
from django.db import connection, connections
from django.test import Client

import pytest
import redis

from forms.models import InterestSubmission
from tests.conftest import INTEREST_PATH

from .conftest import interest_data, solved_payload

REDIS_URL = "redis://127.0.0.1:6379/13"
RACERS = 8


@pytest.fixture
def redis_cache(settings):
    """The default cache on a Redis database of its own, emptied around the test."""
    raw = redis.Redis.from_url(REDIS_URL)
    raw.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    yield raw
    caches["default"].close()
    raw.flushdb()


def test_a_spent_solution_is_recorded_in_redis_and_refused_again(
    client, redis_cache, programs
):
    payload = solved_payload()
    client.post(INTEREST_PATH, interest_data(programs, altcha=payload))
    assert any(b"altcha" in key for key in redis_cache.keys("*"))

    replay = client.post(INTEREST_PATH, interest_data(programs, altcha=payload))

    assert InterestSubmission.objects.count() == 1
    assert "Verifieringen har redan använts" in replay.content.decode()


def race(index, payload, programs, barrier, results):
    # A thread has its own cache and database connections, like a worker process.
    client = Client(REMOTE_ADDR=f"198.51.100.{index + 1}")
    data = interest_data(programs, altcha=payload, e_postadress=f"kapp{index}@ex.se")
    try:
        barrier.wait(timeout=30)
        results[index] = client.post(INTEREST_PATH, data).status_code
    finally:
        caches["default"].close()
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_one_solution_sent_by_many_workers_at_once_is_stored_once(
    redis_cache, django_db_blocker
):
    with django_db_blocker.unblock():
        from programs.models import ProgramPage

        programs = list(ProgramPage.objects.live().order_by("path"))
        payload = solved_payload()
        barrier = threading.Barrier(RACERS)
        results = [None] * RACERS
        threads = [
            threading.Thread(target=race, args=(i, payload, programs, barrier, results))
            for i in range(RACERS)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            stored = InterestSubmission.objects.filter(email__startswith="kapp")
            assert results == [200] * RACERS
            assert stored.count() == 1
        finally:
            InterestSubmission.objects.filter(email__startswith="kapp").delete()
