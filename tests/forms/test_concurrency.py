"""Many people submitting at once: every submission stored once, none lost.

Needs a database with real concurrent connections, so it runs on PostgreSQL only
(``make test-postgres``). It commits for real instead of using pytest-django's
``transaction=True``: that flushes every table afterwards, which would take the
session's seed site away from the tests that run after it. The test removes what
it stored instead.
"""

from django.db import connection
from django.test import Client

import pytest
from bs4 import BeautifulSoup

from forms.models import InterestFormPage, InterestSubmission, SpentVerification
from forms.submitting import REVIEW_FIELD
from programs.models import ProgramPage
from tests.concurrency import post_at_once, run_at_once
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

SUBMITTERS = 20


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_twenty_concurrent_submissions_are_all_stored_exactly_once(
    committed_seed, django_db_blocker, settings
):
    settings.FORM_RATE_LIMIT = "10/m"
    with django_db_blocker.unblock():
        page = InterestFormPage.objects.get()
        programs = list(ProgramPage.objects.live().order_by("path"))
        before = InterestSubmission.objects.filter(page=page).count()
        sent = [
            interest_data(
                programs,
                form=page,
                name=f"Samtidig {index}",
                email=f"samtidig{index}@exempel.se",
            )
            for index in range(SUBMITTERS)
        ]
        try:
            results = post_at_once(INTEREST_PATH, sent)

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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_two_posts_at_once_with_one_review_token_store_one_submission(
    committed_seed, django_db_blocker, settings
):
    """The second step's token is spent in the transaction that stores it."""
    settings.FORM_RATE_LIMIT = "0"
    settings.FORM_REVIEW_RATE_LIMIT = "0"
    address = "203.0.113.77"
    with django_db_blocker.unblock():
        page = InterestFormPage.objects.get()
        programs = list(ProgramPage.objects.live().order_by("path"))
        data = interest_data(
            programs, altcha="", form=page, email="samtidig-granskning@exempel.se"
        )
        first = Client(REMOTE_ADDR=address).post(INTEREST_PATH, data)
        token = BeautifulSoup(first.content, "html.parser").find(
            "button", attrs={"name": REVIEW_FIELD}
        )["value"]
        try:
            answers = run_at_once(
                lambda _index: Client(REMOTE_ADDR=address).post(
                    INTEREST_PATH, {**data, REVIEW_FIELD: token}
                ),
                2,
            )

            stored = InterestSubmission.objects.filter(
                email="samtidig-granskning@exempel.se"
            )
            assert sorted(answer.status_code for answer in answers) == [200, 303]
            refused = next(answer for answer in answers if answer.status_code == 200)
            assert "redan skickat för manuell granskning" in refused.content.decode()
            assert stored.count() == 1
        finally:
            InterestSubmission.objects.filter(
                email="samtidig-granskning@exempel.se"
            ).delete()
            SpentVerification.objects.filter(key__startswith="review:").delete()
