"""A solved verification can be used once, by any worker, whatever the cache does.

Spent solutions are kept in the database (forms.verification_store), not in the
cache: Redis may restart empty or be gone, and a solution it forgot must still be
refused. Each web worker has its own database connection; a solution spent
through one must be refused by every other, even when they race.
"""

from django.core.cache import cache
from django.db import connection

import pytest

from forms.models import InterestSubmission, SpentVerification
from forms.verification_store import purge_expired
from programs.models import ProgramPage
from tests.concurrency import post_at_once
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data
from tests.verification import solved_payload

RACERS = 8


def test_a_spent_solution_stays_spent_when_the_cache_forgets_everything(post, programs):
    payload = solved_payload()
    post(INTEREST_PATH, interest_data(programs, altcha=payload))
    assert SpentVerification.objects.count() == 1
    cache.clear()  # what a Redis restart does

    replay = post(INTEREST_PATH, interest_data(programs, altcha=payload))

    assert InterestSubmission.objects.count() == 1
    assert "Verifieringen har redan använts" in replay.content.decode()


def test_expired_claims_are_purged_and_live_ones_kept(post, programs):
    post(INTEREST_PATH, interest_data(programs))
    claim = SpentVerification.objects.get()

    assert purge_expired(now=claim.expires_at - claim.expires_at.resolution) == 0
    assert purge_expired(now=claim.expires_at) == 1
    assert not SpentVerification.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_one_solution_sent_by_many_workers_at_once_is_stored_once(
    committed_seed, django_db_blocker
):
    with django_db_blocker.unblock():
        programs = list(ProgramPage.objects.live().order_by("path"))
        payload = solved_payload()
        sent = [
            interest_data(programs, altcha=payload, email=f"kapp{index}@ex.se")
            for index in range(RACERS)
        ]
        try:
            # Each in a thread with its own database connection, like workers.
            results = post_at_once(INTEREST_PATH, sent)
            stored = InterestSubmission.objects.filter(email__startswith="kapp")
            assert sorted(results) == [200] * (RACERS - 1) + [303]
            assert stored.count() == 1
        finally:
            InterestSubmission.objects.filter(email__startswith="kapp").delete()
            SpentVerification.objects.all().delete()
