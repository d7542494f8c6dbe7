"""purge_submissions: each form page's retention, dry run, and running it twice."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from forms.management.commands.purge_submissions import (
    delete_in_batches,
    retention_cutoff,
)
from forms.models import ContactSubmission, InterestSubmission
from tests.factories import make_contact, make_registration
from tests.forms.test_inbox import BASIC, CONTACT_FORM, INTEREST_FORM


@pytest.fixture
def old_and_new(seed_pages):
    """Interest form kept 6 months, contact form 24; entries on both sides of each."""
    interest, contact = seed_pages[INTEREST_FORM], seed_pages[CONTACT_FORM]
    interest.retention_months = 6
    interest.save(update_fields=["retention_months"])
    contact.retention_months = 24
    contact.save(update_fields=["retention_months"])
    programs = [seed_pages[BASIC]]
    return {
        "interest_old": make_registration(
            interest, "Gammal Anmälan", programs, days_ago=200
        ),
        "interest_new": make_registration(
            interest, "Ny Anmälan", programs, days_ago=150
        ),
        "contact_old": make_contact(contact, "Gammal Fråga", days_ago=800),
        "contact_kept": make_contact(contact, "Halvgammal Fråga", days_ago=200),
    }


def purge(*args):
    out = io.StringIO()
    call_command("purge_submissions", *args, stdout=out)
    return out.getvalue()


def remaining_names():
    return set(InterestSubmission.objects.values_list("name", flat=True)) | set(
        ContactSubmission.objects.values_list("name", flat=True)
    )


def test_purge_deletes_only_what_is_older_than_each_forms_retention(old_and_new):
    output = purge()
    assert remaining_names() == {"Ny Anmälan", "Halvgammal Fråga"}
    assert "Intresseanmälan för 2025: 1 raderade" in output
    assert "Kontakta oss: 1 raderade" in output


def test_purge_removes_the_programme_links_of_deleted_registrations(old_and_new):
    through = InterestSubmission.programs.through
    old = old_and_new["interest_old"]
    assert through.objects.filter(interestsubmission_id=old.pk).exists()
    purge()
    assert not through.objects.filter(interestsubmission_id=old.pk).exists()
    assert through.objects.filter(interestsubmission_id=old_and_new["interest_new"].pk)


def test_dry_run_reports_but_deletes_nothing(old_and_new):
    output = purge("--dry-run")
    assert remaining_names() == {
        "Gammal Anmälan",
        "Ny Anmälan",
        "Gammal Fråga",
        "Halvgammal Fråga",
    }
    assert "Intresseanmälan för 2025: 1 skulle raderas" in output
    assert "inget raderat" in output


def test_running_the_purge_twice_deletes_nothing_more(old_and_new):
    purge()
    output = purge()
    assert remaining_names() == {"Ny Anmälan", "Halvgammal Fråga"}
    assert "Intresseanmälan för 2025: 0 raderade" in output
    assert "Totalt: 0 raderade" in output


def test_purge_uses_calendar_months():
    stockholm = ZoneInfo("Europe/Stockholm")
    moment = datetime(2026, 5, 31, 3, 0, tzinfo=stockholm)
    assert retention_cutoff(moment, 3) == datetime(2026, 2, 28, 3, 0, tzinfo=stockholm)
    assert retention_cutoff(moment, 24) == datetime(2024, 5, 31, 3, 0, tzinfo=stockholm)
    assert retention_cutoff(moment, 17) == datetime(
        2024, 12, 31, 3, 0, tzinfo=stockholm
    )


@pytest.mark.parametrize("months", [0, 121, 30_000])
def test_a_retention_that_would_purge_everything_or_break_the_purge_is_refused(
    seed_pages, months
):
    """0 months deletes every submission at the next run; 30 000 months puts the
    cut-off before year 1, where the purge would stop for every form."""
    page = seed_pages[INTEREST_FORM]
    page.retention_months = months
    with pytest.raises(ValidationError) as refusal:
        page.full_clean()
    assert "retention_months" in refusal.value.message_dict


def test_the_purge_deletes_in_batches_exactly_the_old_rows(seed_pages):
    """Seven old registrations go in batches of three; the new ones and every
    link of theirs stay."""
    form, basic = seed_pages[INTEREST_FORM], seed_pages[BASIC]
    old = [
        make_registration(form, f"Gammal {n}", [basic], days_ago=900 + n)
        for n in range(7)
    ]
    new = [make_registration(form, f"Ny {n}", [basic], days_ago=n) for n in range(3)]
    through = InterestSubmission.programs.through
    cutoff = timezone.now() - timedelta(days=800)

    with CaptureQueriesContext(connection) as queries:
        deleted = delete_in_batches(
            InterestSubmission.objects.filter(submit_time__lt=cutoff), batch=3
        )

    assert deleted == 7
    assert set(InterestSubmission.objects.all()) == set(new)
    assert not through.objects.filter(interestsubmission_id__in=[s.pk for s in old])
    assert through.objects.count() == 3
    # Four rounds (3 + 3 + 1, then none left), each reading ids, not rows.
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    reads = [sql for sql in selects if '"reference"' in sql and "form_data" not in sql]
    assert len(reads) == 4
    assert not any("form_data" in sql for sql in selects)


def test_a_dry_run_counts_what_the_purge_then_deletes(seed_pages):
    form = seed_pages[INTEREST_FORM]
    call_command(
        "generate_submissions", "120", "--yes", "--contacts", "30", stdout=io.StringIO()
    )
    make_registration(form, "Gammal Anmälan", days_ago=3000)
    counted = totals(purge("--dry-run"))

    output = purge()

    assert totals(output) == counted > 0
    assert "Totalt: 0 raderade" in purge()
    cutoff = retention_cutoff(timezone.localtime(), form.retention_months)
    assert not InterestSubmission.objects.filter(submit_time__lt=cutoff).exists()
    assert InterestSubmission.objects.exists()


def totals(output):
    """The number in the "Totalt" line."""
    line = next(line for line in output.splitlines() if line.startswith("Totalt"))
    return int(line.split()[1])
