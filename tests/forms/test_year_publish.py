"""The guided "Ny antagning": check the year's dates, preview, publish at once."""

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest

from forms.interest import day
from forms.models import InterestFormPage
from forms.year_publish import PUBLISHED
from programs.models import Intake, ProgramIndexPage

pytestmark = pytest.mark.django_db

URL = reverse("forms_year_publish", args=[2026])
PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"


@pytest.fixture
def rolled_over(editor_client, seed_pages):
    index = ProgramIndexPage.objects.get()
    response = editor_client.post(reverse("programs_rollover", args=[index.pk]))
    assert response.status_code == 200
    assert URL in response.content.decode(), "the rollover leads on to the check"
    return Intake.objects.filter(year=2026)


def set_draft_dates(intakes, opens, closes):
    for intake in intakes:
        draft = intake.get_latest_revision_as_object()
        draft.interest_opens_at = opens
        draft.interest_closes_at = closes
        draft.save_revision()


def test_step_one_lists_the_dates_and_the_problems(editor_client, rolled_over):
    now = timezone.now()
    set_draft_dates(rolled_over, now - datetime.timedelta(days=1), None)

    html = editor_client.get(URL).content.decode()

    for intake in rolled_over:
        assert str(intake) in html
    assert "sista dag för intresseanmälan saknas" in html
    assert "Det här behöver rättas" in html


def test_publishing_is_refused_while_there_are_problems(editor_client, rolled_over):
    set_draft_dates(rolled_over, timezone.now(), None)

    response = editor_client.post(URL, follow=True)

    assert "Rätta problemen i steg 1" in response.content.decode()
    assert not Intake.objects.filter(year=2026, live=True).exists()
    assert InterestFormPage.objects.get().intake_year == 2025


def test_step_two_links_to_the_forms_draft_preview(editor_client, rolled_over):
    form = InterestFormPage.objects.get()
    revision = form.get_latest_revision()
    html = editor_client.get(URL, {"steg": "2"}).content.decode()
    assert (
        reverse("wagtailadmin_pages:revisions_view", args=[form.pk, revision.pk])
        in html
    )


def test_step_three_publishes_the_intakes_and_the_form_together(
    client, editor_client, rolled_over
):
    now = timezone.now()
    set_draft_dates(
        rolled_over, now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
    )

    response = editor_client.post(URL, follow=True)

    html = response.content.decode()
    assert "är publicerade tillsammans" in html
    assert set(Intake.objects.filter(year=2026).values_list("live", flat=True)) == {
        True
    }
    form = InterestFormPage.objects.get()
    assert form.intake_year == 2026 and not form.has_unpublished_changes
    assert PageLogEntry.objects.filter(action=PUBLISHED, page=form).exists()
    page = client.get(PROGRAM).content.decode()
    assert "Intresseanmälan för 2026 är öppen." in page
    assert not ModelLogEntry.objects.filter(action=PUBLISHED).exists()


def test_a_programme_manager_may_not_publish_the_year(manager_client, rolled_over):
    # Wagtail's admin answers a refusal with its home page and a message.
    for method in (manager_client.get, manager_client.post):
        response = method(URL)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert not Intake.objects.filter(year=2026, live=True).exists()


def test_a_failure_half_way_publishes_nothing(editor_client, rolled_over, monkeypatch):
    """One transaction: the intakes are not left published without their form."""
    from wagtail.models import Revision

    now = timezone.now()
    set_draft_dates(
        rolled_over, now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
    )
    publish = Revision.publish

    def fail_on_the_form(revision, *args, **kwargs):
        if revision.content_type.model == "interestformpage":
            raise RuntimeError("the database went away")
        return publish(revision, *args, **kwargs)

    monkeypatch.setattr(Revision, "publish", fail_on_the_form)
    with pytest.raises(RuntimeError):
        editor_client.post(URL)

    assert not Intake.objects.filter(year=2026, live=True).exists()
    assert InterestFormPage.objects.get().intake_year == 2025


def preview_url(page):
    return reverse("forms_year_programme_preview", args=[2026, page.pk])


def test_step_two_previews_each_programme_page_with_its_draft_intake(
    editor_client, rolled_over, seed_pages
):
    now = timezone.now()
    closes = now + datetime.timedelta(days=40)
    set_draft_dates(rolled_over, now - datetime.timedelta(days=1), closes)
    program = seed_pages[PROGRAM]

    step_two = editor_client.get(URL, {"steg": "2"}).content.decode()
    assert preview_url(program) in step_two

    response = editor_client.get(preview_url(program))
    assert response.status_code == 200
    html = response.content.decode()
    assert day(closes) in html, "the draft's last day for interest is shown"
    assert "Intresseanmälan för 2026 är öppen" in html
    assert (
        "no-cache" in response["Cache-Control"]
        or "private" in response["Cache-Control"]
    )
    # Nothing was published by looking.
    assert not Intake.objects.filter(year=2026, live=True).exists()
    public = editor_client.get(program.url).content.decode()
    assert day(closes) not in public
    assert "Intresseanmälan för 2026 är öppen" not in public


def test_the_programme_preview_is_for_staff_only(
    client, manager_client, rolled_over, seed_pages
):
    url = preview_url(seed_pages[PROGRAM])
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 403)
    if anonymous.status_code == 302:
        assert "/admin/login/" in anonymous["Location"]
    # Wagtail's admin answers a refusal with its home page and a message.
    refused = manager_client.get(url)
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_home")
