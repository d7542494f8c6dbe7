"""The APIs give each intake the status its programme page shows.

After "Ny antagning" and publishing 2026 together with the interest form, the
2025 intakes still say "open" by their own dates; the pages call them closed
(the form collects for 2026 now), and the v2 and v3 APIs must say the same.
"""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from forms.interest import public_status
from forms.models import InterestFormPage
from programs.models import Intake, IntakeStatus, ProgramIndexPage, ProgramPage

from .v3 import V3, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_2026(editor_client, seed_pages):
    index = ProgramIndexPage.objects.get()
    assert (
        editor_client.post(reverse("programs_rollover", args=[index.pk])).status_code
        == 200
    )
    now = timezone.now()
    for intake in Intake.objects.filter(year=2026):
        draft = intake.get_latest_revision_as_object()
        draft.interest_opens_at = now - datetime.timedelta(days=1)
        draft.interest_closes_at = now + datetime.timedelta(days=30)
        draft.save_revision()
    editor_client.post(reverse("forms_year_publish", args=[2026]))
    form = InterestFormPage.objects.live().get()
    assert form.intake_year == 2026
    return form


def page_statuses(form):
    now = timezone.now()
    return {
        intake.pk: public_status(intake, form, now).value
        for intake in Intake.objects.filter(live=True)
    }


def test_v2_and_v3_page_apis_say_what_the_programme_pages_say(published_2026):
    expected = page_statuses(published_2026)
    client = Client()
    seen = 0
    for programme in ProgramPage.objects.live():
        v2 = client.get(f"/api/v2/pages/{programme.pk}/").json()
        v3 = client.get(f"{V3}/pages/{programme.pk}/").json()
        for data in (v2, v3):
            for item in data["intakes"]:
                assert item["status"] == expected[item["id"]], (programme, item["year"])
                label = IntakeStatus(expected[item["id"]]).label
                assert item["status_display"] == label
                seen += 1
        years = {i["year"]: i["status"] for i in v2["intakes"]}
        assert years[2025] == IntakeStatus.INTEREST_CLOSED
        assert years[2026] == IntakeStatus.INTEREST_OPEN
    assert seen >= 8


def test_the_programme_page_shows_the_status_the_api_gives(published_2026):
    client = Client()
    programme = ProgramPage.objects.live().order_by("path").first()
    html = client.get(programme.url).content.decode()
    assert "Intresseanmälan för 2026 är öppen" in html
    v2 = client.get(f"/api/v2/pages/{programme.pk}/").json()
    assert {i["year"]: i["status"] for i in v2["intakes"]}[2026] == "interest_open"


def test_the_v3_intake_snippets_say_it_too(published_2026, editor):
    expected = page_statuses(published_2026)
    response = token_client(editor).get(f"{V3}/snippets/programs.Intake/")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert items
    for item in items:
        if item["id"] in expected:
            assert item["status"] == expected[item["id"]]
    by_year = {i["year"]: i["status"] for i in items if i["id"] in expected}
    assert by_year[2025] == IntakeStatus.INTEREST_CLOSED
