"""The inbox tallies under concurrent writers (PostgreSQL only).

Two senders of one address at the same moment must both be counted, so the
pair is flagged; managers changing statuses in opposite directions at once
must neither deadlock on the tally rows nor leave a count wrong.
"""

from django.db import connection, transaction

import pytest

from forms import tally
from forms.models import InterestFormPage, InterestSubmission, SharedAddress
from programs.models import ProgramPage
from tests.concurrency import post_at_once, run_at_once
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data, make_registration

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)

SENDERS = 8


def test_one_address_sent_by_many_at_once_is_counted_and_flagged(
    committed_seed, django_db_blocker, settings
):
    settings.FORM_RATE_LIMIT = "10/m"
    with django_db_blocker.unblock():
        page = InterestFormPage.objects.get()
        programs = list(ProgramPage.objects.live().order_by("path"))
        sent = [
            interest_data(
                programs,
                form=page,
                name=f"Samma Person {index}",
                # One person, typing the address a little differently each time.
                email="Samma.Person@X.se" if index % 2 else "samma.person@kommun.se",
            )
            for index in range(SENDERS)
        ]
        results = post_at_once(INTEREST_PATH, sent)

        assert results == [303] * SENDERS
        assert InterestSubmission.objects.filter(name__startswith="Samma").count() == (
            SENDERS
        )
        assert SharedAddress.objects.filter(email_key="samma.person@x.se").exists()
        assert tally.differences() == {}


def test_opposite_bulk_changes_at_once_neither_deadlock_nor_miscount(
    committed_seed, django_db_blocker
):
    with django_db_blocker.unblock():
        page = InterestFormPage.objects.get()
        basic, continuation = ProgramPage.objects.order_by("path")
        for index in range(30):
            make_registration(
                page,
                f"Person {index}",
                [basic] if index % 3 else [basic, continuation],
                email=f"person{index}@kommun.se",
            )
        pks = list(InterestSubmission.objects.values_list("pk", flat=True))

        def work(index):
            if index == 2:
                # A third manager adds and takes away a programme meanwhile.
                for pk in pks[:10]:
                    row = InterestSubmission.objects.get(pk=pk)
                    row.programs.remove(continuation)
                    row.programs.add(continuation)
                return "ok"
            old, new = ("ny", "kontaktad") if index == 0 else ("kontaktad", "ny")
            for _ in range(15):
                with transaction.atomic():
                    InterestSubmission.objects.filter(pk__in=pks, status=old).update(
                        status=new
                    )
            return "ok"

        assert run_at_once(work, 3) == ["ok", "ok", "ok"]
        assert tally.differences() == {}


def test_two_programmes_added_at_once_move_a_registration_out_of_none_once(
    committed_seed, django_db_blocker
):
    with django_db_blocker.unblock():
        page = InterestFormPage.objects.get()
        programmes = list(ProgramPage.objects.order_by("path"))
        rows = [
            make_registration(page, f"Utan Program {index}", []) for index in range(20)
        ]

        def add(index):
            # Each manager gives every registration a programme of their own.
            for row in rows:
                row.programs.add(programmes[index])
            return "ok"

        assert run_at_once(add, 2) == ["ok", "ok"]
        assert tally.differences() == {}
        rows_without = InterestSubmission.objects.filter(programs__isnull=True)
        assert not rows_without.exists()
