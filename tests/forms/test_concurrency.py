"""Many people submitting at once: every submission stored once, none lost.

Needs a database with real concurrent connections, so it runs on PostgreSQL only
(``make test-postgres``). It commits for real instead of using pytest-django's
``transaction=True``: that flushes every table afterwards, which would take the
session's seed site away from the tests that run after it. The test removes what
it stored instead.
"""

import threading

from django.db import connection, connections
from django.test import Client

import pytest

from forms.models import InterestFormPage, InterestSubmission
from programs.models import ProgramPage
from tests.conftest import INTEREST_PATH

from .conftest import interest_data, solved_payload

SUBMITTERS = 20


def submit_in_thread(index, programs, payload, barrier, results):
    client = Client(REMOTE_ADDR=f"203.0.113.{index + 1}")
    data = interest_data(
        programs,
        altcha=payload,
        namn=f"Samtidig {index}",
        e_postadress=f"samtidig{index}@exempel.se",
    )
    try:
        barrier.wait(timeout=30)
        results[index] = client.post(INTEREST_PATH, data).status_code
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_twenty_concurrent_submissions_are_all_stored_exactly_once(
    django_db_blocker, settings
):
    settings.FORM_RATE_LIMIT = "10/m"
    with django_db_blocker.unblock():
        page = InterestFormPage.objects.get(url_path__endswith="/intresseanmalan/")
        programs = list(ProgramPage.objects.live().order_by("path"))
        before = InterestSubmission.objects.filter(page=page).count()
        payloads = [solved_payload() for _ in range(SUBMITTERS)]
        barrier = threading.Barrier(SUBMITTERS)
        results = [None] * SUBMITTERS
        threads = [
            threading.Thread(
                target=submit_in_thread,
                args=(index, programs, payloads[index], barrier, results),
            )
            for index in range(SUBMITTERS)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)

            stored = InterestSubmission.objects.filter(
                page=page, email__startswith="samtidig"
            )
            assert results == [303] * SUBMITTERS
            assert stored.count() == SUBMITTERS
            assert sorted(stored.values_list("email", flat=True)) == sorted(
                f"samtidig{index}@exempel.se" for index in range(SUBMITTERS)
            )
            for submission in stored:
                assert submission.programs.count() == len(programs)
            assert InterestSubmission.objects.filter(page=page).count() == (
                before + SUBMITTERS
            )
        finally:
            InterestSubmission.objects.filter(
                page=page, email__startswith="samtidig"
            ).delete()
