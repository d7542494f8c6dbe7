"""Many people submitting at once: every submission stored once, none lost.

Needs a database with real concurrent connections, so it runs on PostgreSQL only
(``make test-postgres``). It commits for real instead of using pytest-django's
``transaction=True``: that flushes every table afterwards, which would take the
session's seed site away from the tests that run after it. The test removes what
it stored instead.
"""

from django.db import connection

import pytest

from forms.models import InterestFormPage, InterestSubmission
from programs.models import ProgramPage
from tests.concurrency import post_at_once
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

SUBMITTERS = 20


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_twenty_concurrent_submissions_are_all_stored_exactly_once(
    django_db_blocker, settings
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
