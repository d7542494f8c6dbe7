""" "Ny antagning": next year's intakes and form prepared as drafts, in one step."""

import datetime

from django.urls import reverse

import pytest

from forms.models import InterestFormPage
from forms.window import FormWindow
from programs.models import Intake, ProgramIndexPage, ProgramPage
from tests.conftest import INTEREST_PATH

pytestmark = pytest.mark.django_db

PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
SESSION_DAYS = [datetime.date(2025, 9, 11), datetime.date(2025, 11, 13)]


@pytest.fixture
def index(seed_pages):
    return ProgramIndexPage.objects.get()


def rollover_url(page):
    return reverse("programs_rollover", args=[page.pk])


def roll_over(editor_client, page):
    response = editor_client.post(rollover_url(page))
    assert response.status_code == 200
    return response


def test_the_confirmation_says_what_will_be_made_and_makes_nothing(
    editor_client, index
):
    response = editor_client.get(rollover_url(index))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Skapa antagningar för 2026" in text
    assert text.count("Skapas som utkast") == 2
    assert not Intake.objects.filter(year=2026).exists()


def test_rollover_makes_one_draft_intake_per_programme_and_is_idempotent(
    client, editor_client, index
):
    source = Intake.objects.get(
        year=2025, program__url_path__endswith="/toppolitikerprogrammet/"
    )
    for session, day in zip(source.session_list(), SESSION_DAYS, strict=False):
        session.date = day
        session.save()

    roll_over(editor_client, index)
    roll_over(editor_client, index)

    made = Intake.objects.filter(year=2026)
    assert made.count() == ProgramPage.objects.count() == 2
    assert not Intake.objects.filter(year__gt=2026).exists()
    assert not any(intake.live for intake in made)
    copy = made.get(program=source.program)
    assert [s.date for s in copy.session_list()] == [
        datetime.date(2026, 9, 11),
        datetime.date(2026, 11, 13),
        None,
        None,
    ]
    assert [s.venue_id for s in copy.session_list()] == [
        s.venue_id for s in source.session_list()
    ]
    assert copy.interest_opens_at == source.interest_opens_at.replace(year=2025)
    assert copy.latest_revision is not None
    # Readers see nothing of it until an editor publishes.
    assert "2026" not in client.get(PROGRAM).content.decode()


def test_rollover_prepares_the_interest_form_for_the_year_as_a_draft(
    client, editor_client, index
):
    form = InterestFormPage.objects.get()
    revisions = form.revisions.count()

    roll_over(editor_client, index)
    roll_over(editor_client, index)

    form.refresh_from_db()
    assert form.revisions.count() == revisions + 1
    draft = form.get_latest_revision_as_object()
    assert draft.intake_year == 2026
    assert draft.title == "Intresseanmälan för 2026"
    assert "för 2025 har startat upp och anmälan är stängd" in draft.intro
    assert "Nedan kan du göra en intresseanmälan till 2026." in draft.intro
    # The live form still collects for 2025.
    assert form.intake_year == 2025
    assert "Intresseanmälan för 2025" in client.get(INTEREST_PATH).content.decode()


def test_publishing_the_new_year_opens_the_form_for_it(client, editor_client, index):
    roll_over(editor_client, index)
    for intake in Intake.objects.filter(year=2026):
        intake.latest_revision.publish()
    form = InterestFormPage.objects.get()
    form.get_latest_revision().publish()

    form = InterestFormPage.objects.get()
    assert form.intake_year == 2026
    # Copied a year on, interest opened on 29 May 2025: it is open now.
    assert form.window_state() == FormWindow.OPEN
    program = client.get(PROGRAM).content.decode()
    assert "Intresseanmälan för 2026 är öppen." in program
    assert "Gör en intresseanmälan för 2026" in program


def test_rollover_from_a_programme_covers_that_programme_only(editor_client, index):
    program = ProgramPage.objects.order_by("path").first()

    roll_over(editor_client, program)

    assert list(Intake.objects.filter(year=2026).values_list("program", flat=True)) == [
        program.pk
    ]


def test_the_rollover_is_offered_in_the_page_menu_and_on_the_admin_home(
    editor_client, index
):
    explorer = editor_client.get(reverse("wagtailadmin_explore", args=[index.pk]))
    assert rollover_url(index) in explorer.content.decode()
    home = editor_client.get(reverse("wagtailadmin_home"))
    assert rollover_url(index) in home.content.decode()


def test_a_programme_manager_cannot_roll_over(manager_client, index):
    # Wagtail's admin answers a refusal with its home page and a message.
    for method in (manager_client.get, manager_client.post):
        response = method(rollover_url(index))
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert not Intake.objects.filter(year=2026).exists()
