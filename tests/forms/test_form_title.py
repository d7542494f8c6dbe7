"""A submission keeps the title of the form it was sent under.

"Ny antagning" renames the interest form for the next year ("Intresseanmälan
för 2025" becomes "… för 2026") when its draft is published; what was sent
before that was sent under the old title, and the inbox, both exports and the
e-mails must go on saying so.
"""

import importlib

from django.apps import apps
from django.core import mail
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from forms.models import ContactSubmission, InterestFormPage, InterestSubmission
from forms.tasks import NOTIFICATION, RECEIPT, deliver
from programs.models import Intake, ProgramIndexPage
from tests.api.test_forms_api import complete_data
from tests.api.test_forms_api import post as api_post
from tests.conftest import CONTACT_PATH, INTEREST_PATH
from tests.factories import contact_data, interest_data, make_registration
from tests.forms.excel_csv import downloaded, excel_dicts
from tests.forms.test_inbox import INBOX, csv_rows, xlsx_download, xlsx_rows
from tests.forms.test_manual_review import send_for_review

pytestmark = pytest.mark.django_db

SENT_UNDER = "Intresseanmälan för 2025"
NEXT_YEAR = "Intresseanmälan för 2026"


@pytest.fixture
def next_year(editor_client):
    """ "Ny antagning", then the new year's intakes and form published."""

    def publish():
        index = ProgramIndexPage.objects.get()
        rollover = editor_client.post(reverse("programs_rollover", args=[index.pk]))
        assert rollover.status_code == 200
        for intake in Intake.objects.filter(year=2026):
            intake.latest_revision.publish()
        InterestFormPage.objects.get().get_latest_revision().publish()
        assert InterestFormPage.objects.get().title == NEXT_YEAR

    return publish


def form_shown(response):
    """What the detail view says under "Formulär"."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    label = soup.find("dt", string="Formulär")
    assert label, "the detail view names the form"
    return label.find_next_sibling("dd").get_text(strip=True)


def test_every_way_of_sending_stores_the_title_it_was_sent_under(
    client, post, programs, interest_page, next_year
):
    post(INTEREST_PATH, interest_data(programs, name="Via sidan"))
    send_for_review(post, INTEREST_PATH, interest_data(programs, name="Utan skript"))
    sent = api_post(client, interest_page, complete_data(client, interest_page))
    assert sent.status_code == 201

    next_year()

    titles = set(InterestSubmission.objects.values_list("verification", "form_title"))
    assert titles == {("verified", SENT_UNDER), ("unverified", SENT_UNDER)}
    assert InterestSubmission.objects.count() == 3


def test_what_is_sent_after_the_new_year_is_published_gets_the_new_title(
    post, programs, next_year
):
    next_year()

    post(INTEREST_PATH, interest_data(programs))

    assert InterestSubmission.objects.get().form_title == NEXT_YEAR


def test_the_detail_view_names_the_form_it_was_sent_under(
    manager_client, post, programs, next_year
):
    post(INTEREST_PATH, interest_data(programs))
    next_year()
    submission = InterestSubmission.objects.get()

    response = manager_client.get(f"{INBOX}inspect/{submission.pk}/")

    assert form_shown(response) == SENT_UNDER


def test_both_exports_name_the_form_each_was_sent_under(
    manager_client, post, programs, next_year, django_capture_on_commit_callbacks
):
    post(INTEREST_PATH, interest_data(programs, name="Anna Före"))
    next_year()
    post(INTEREST_PATH, interest_data(programs, name="Bo Efter", email="bo@exempel.se"))
    expected = {"Anna Före": SENT_UNDER, "Bo Efter": NEXT_YEAR}

    from_csv = csv_rows(manager_client.get(INBOX, {"export": "csv"}))
    from_xlsx = xlsx_rows(
        xlsx_download(manager_client, {}, django_capture_on_commit_callbacks)
    )

    assert {row["Namn"]: row["Formulär"] for row in from_csv} == expected
    assert {row["Namn"]: row["Formulär"] for row in from_xlsx} == expected


def test_wagtails_own_export_of_the_form_names_the_title_each_was_sent_under(
    manager_client, post, programs, interest_page, next_year
):
    """One page, two titles: after the rollover the same form page holds both."""
    post(INTEREST_PATH, interest_data(programs, name="Anna Före"))
    next_year()
    url = reverse("wagtailforms:list_submissions", args=[interest_page.pk])

    response = manager_client.get(url, {"export": "csv"})

    (row,) = excel_dicts(downloaded(response))
    assert row["Formulär"] == SENT_UNDER


def test_mail_sent_after_the_rename_names_the_form_it_was_sent_under(
    post, programs, recipients, next_year, mailoutbox
):
    """A notification or receipt retried after the rollover keeps the old title."""
    post(INTEREST_PATH, interest_data(programs))
    InterestSubmission.objects.update(
        notification_state="failed", receipt_state="failed"
    )
    next_year()
    mail.outbox.clear()
    submission = InterestSubmission.objects.get()

    deliver(InterestSubmission, submission.pk, NOTIFICATION)
    deliver(InterestSubmission, submission.pk, RECEIPT)

    notification, receipt = mailoutbox
    assert f"Formulär: {SENT_UNDER}" in notification.body
    assert SENT_UNDER in receipt.subject and SENT_UNDER in receipt.body
    assert NEXT_YEAR not in notification.body + receipt.subject + receipt.body


def test_the_contact_form_keeps_its_title_too(post, contact_page):
    post(CONTACT_PATH, contact_data())
    contact_page.title = "Frågor och svar"
    contact_page.save_revision().publish()

    assert ContactSubmission.objects.get().form_title == "Kontakta oss"


# The data migration: rows stored before the title was kept get the best
# title the page's history tells.


RENAMED = "Anmäl intresse"


def fill_form_titles():
    migration = importlib.import_module("forms.migrations.0011_submission_form_title")
    migration.fill_form_titles(apps, None)


def publish_title(page, title):
    page.title = title
    page.save_revision().publish()
    return page.live_revision


def forget_titles():
    InterestSubmission.objects.update(form_title="")


def test_the_migration_gives_each_row_the_title_that_was_live_when_it_was_sent(
    interest_page,
):
    before = make_registration(interest_page, "Anna Före")
    publish_title(interest_page, RENAMED)
    after = make_registration(interest_page, "Bo Efter")
    forget_titles()

    fill_form_titles()

    titles = dict(InterestSubmission.objects.values_list("pk", "form_title"))
    assert titles == {before.pk: SENT_UNDER, after.pk: RENAMED}


def test_the_migration_reads_the_log_when_the_revision_is_gone(interest_page):
    """purge_revisions deletes old revisions; the publish log keeps its label."""
    before = make_registration(interest_page, "Anna Före")
    publish_title(interest_page, "Intresseanmälan, första versionen")
    middle = make_registration(interest_page, "Cilla Mitt")
    revision = publish_title(interest_page, RENAMED)
    after = make_registration(interest_page, "Bo Efter")
    interest_page.revisions.exclude(pk=revision.pk).delete()
    forget_titles()

    fill_form_titles()

    titles = dict(InterestSubmission.objects.values_list("pk", "form_title"))
    assert titles == {
        before.pk: SENT_UNDER,
        middle.pk: "Intresseanmälan, första versionen",
        after.pk: RENAMED,
    }


def test_the_migration_falls_back_to_the_current_title_and_keeps_every_row(
    interest_page,
):
    """Sent before any publish the log knows of: only the current title is left."""
    old = make_registration(interest_page, "Gammal Anmälan", days_ago=3000)
    kept = make_registration(interest_page, "Redan Satt")
    InterestSubmission.objects.filter(pk=kept.pk).update(form_title="Behålls")
    InterestSubmission.objects.filter(pk=old.pk).update(form_title="")
    publish_title(interest_page, RENAMED)
    count = InterestSubmission.objects.count()

    fill_form_titles()

    titles = dict(InterestSubmission.objects.values_list("pk", "form_title"))
    assert titles == {old.pk: RENAMED, kept.pk: "Behålls"}
    assert InterestSubmission.objects.count() == count


def test_a_row_made_without_a_title_gets_its_pages_current_one(interest_page):
    submission = InterestSubmission.objects.create(
        page=interest_page, intake_year=2025, form_data={}
    )

    assert submission.form_title == SENT_UNDER
