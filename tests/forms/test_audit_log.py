"""Deleting or purging a submission takes the sender's name out of Wagtail's log."""

import io

from django.core.management import call_command

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from tests.factories import make_registration

from .test_inbox import INTEREST_FORM

INBOX = "/admin/intresseanmalningar/"


def labels():
    return [entry.label for entry in ModelLogEntry.objects.all()]


def test_deleting_in_the_inbox_keeps_the_log_entry_but_not_the_name(
    manager_client, seed_pages
):
    submission = make_registration(seed_pages[INTEREST_FORM], "Anna Andersson")

    response = manager_client.post(f"{INBOX}delete/{submission.pk}/")

    assert response.status_code == 302
    entry = ModelLogEntry.objects.get(action="wagtail.delete")
    assert entry.user.username == "pa"
    assert "Anna" not in entry.label
    assert submission.reference in entry.label


def test_the_purge_takes_names_out_of_the_log(seed_pages):
    form = seed_pages[INTEREST_FORM]
    old = make_registration(form, "Gammal Anmälan", days_ago=3000)
    kept = make_registration(form, "Ny Anmälan")
    for submission in (old, kept):
        log(submission, "wagtail.edit")

    call_command("purge_submissions", stdout=io.StringIO())

    assert not any("Gammal" in label for label in labels())
    assert any("Ny Anmälan" in label for label in labels())
