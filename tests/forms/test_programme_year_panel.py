"""The admin home's "Programåret" panel: each programme's year and its problems."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from forms.cycle import programme_years
from programs.models import Intake, ProgramPage, Session

pytestmark = pytest.mark.django_db

MIDSUMMER_2026 = datetime.datetime(
    2026, 6, 19, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm")
)


def panel_text(client):
    with mock.patch("django.utils.timezone.now", return_value=MIDSUMMER_2026):
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    panel = BeautifulSoup(response.content, "html.parser").find(
        "section", attrs={"aria-labelledby": "programme-year-heading"}
    )
    assert panel is not None, "no programme year panel"
    return " ".join(panel.get_text(" ").split())


def test_the_panel_shows_the_form_and_each_programme(editor_client, seed_pages):
    text = panel_text(editor_client)

    assert "Intresseanmälan för 2025: öppen." in text
    for program in ProgramPage.objects.all():
        assert program.title in text


def test_a_past_year_still_open_is_flagged(editor_client, seed_pages):
    text = panel_text(editor_client)

    assert text.count("Antagningen 2025 tar fortfarande emot intresseanmälningar.") == 2


def test_sessions_without_a_venue_are_flagged(editor_client, seed_pages):
    intake = Intake.objects.filter(year=2025).order_by("program__path").first()
    Session.objects.filter(intake=intake).update(venue=None)

    assert "4 träffar 2025 saknar kursgård." in panel_text(editor_client)


def test_a_form_year_without_a_published_intake_is_flagged(editor_client, seed_pages):
    Intake.objects.filter(year=2025).order_by("program__path").first().unpublish()

    text = panel_text(editor_client)
    assert (
        "Formuläret gäller 2025, men programmet har ingen publicerad antagning "
        "för 2025." in text
    )


def test_a_draft_of_next_year_shows_as_next(editor_client, seed_pages):
    program = ProgramPage.objects.order_by("path").first()
    Intake.objects.create(program=program, year=2026, live=False)

    assert "2026 : utkast" in panel_text(editor_client)


def test_the_panel_is_not_shown_to_people_outside_the_year(
    client, seed_pages, django_user_model
):
    from tests.factories import make_member

    outsider = make_member(django_user_model, "utanfor", "Editors")
    client.force_login(outsider)
    response = client.get(reverse("wagtailadmin_home"))
    assert "programme-year-heading" not in response.content.decode()


def test_the_panel_costs_the_same_however_many_intakes(seed_pages):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            programme_years()
        return len(captured)

    before = queries()
    for program in ProgramPage.objects.all():
        for year in range(2030, 2035):
            intake = Intake(program=program, year=year)
            intake.sessions = [Session(date=datetime.date(year, 9, 1))]
            intake.save()
    assert queries() == before
