"""A programme year as readers see it: one set of intake dates drives every page.

The seeded 2025 intakes are given a whole year of dates (interest from 1 March
to 1 June 2025, four sessions from September 2025 to March 2026) and a 2026
intake that opens for interest on 1 March 2026. At each boundary, with the
clock frozen, the table says what the intake's status, the interest form's
state and the sentence every page shows must be, and no page may claim
"öppen" or link to the form while it is not open.
"""

import datetime
import io
import re
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest
from bs4 import BeautifulSoup

from forms.models import InterestFormPage, InterestSubmission
from forms.window import FormWindow
from programs.models import Intake, IntakeStatus, ProgramPage, Session
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
INDEX = "/toppolitikerprogrammen/"
PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
PAGES = ["/", INDEX, PROGRAM, INTEREST_PATH]
SESSION_DAYS = [
    datetime.date(2025, 9, 11),
    datetime.date(2025, 11, 13),
    datetime.date(2026, 1, 15),
    datetime.date(2026, 3, 12),
]
NOT_YET = "Intresseanmälan för 2025 har inte öppnat ännu. Den öppnar 1 mars 2025."
CLOSED = (
    "Intresseanmälan för 2025 är stängd. Intresseanmälan för 2026 öppnar 1 mars 2026."
)
CLOSED_NEXT_DUE = (
    "Intresseanmälan för 2025 är stängd. Intresseanmälan för 2026 öppnar snart."
)
OPEN = "Intresseanmälan för 2025 är öppen."


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


# moment (Stockholm time), the 2025 intake's status, the form, what pages say.
TIMELINE = [
    ("2025-02-15 12:00", IntakeStatus.PLANNED, FormWindow.NOT_YET_OPEN, NOT_YET),
    ("2025-03-01 00:00", IntakeStatus.INTEREST_OPEN, FormWindow.OPEN, OPEN),
    ("2025-05-31 23:59", IntakeStatus.INTEREST_OPEN, FormWindow.OPEN, OPEN),
    ("2025-06-01 00:00", IntakeStatus.INTEREST_CLOSED, FormWindow.CLOSED, CLOSED),
    ("2025-09-11 09:59", IntakeStatus.INTEREST_CLOSED, FormWindow.CLOSED, CLOSED),
    ("2025-09-11 10:00", IntakeStatus.RUNNING, FormWindow.CLOSED, CLOSED),
    ("2026-03-13 12:59", IntakeStatus.RUNNING, FormWindow.CLOSED, CLOSED_NEXT_DUE),
    ("2026-03-13 13:00", IntakeStatus.FINISHED, FormWindow.CLOSED, CLOSED_NEXT_DUE),
]


@pytest.fixture
def dated_year(seed_pages):
    """Both programmes' 2025 intakes with dates, and a published 2026 intake."""
    for intake in Intake.objects.filter(year=2025):
        intake.interest_opens_at = at("2025-03-01 00:00")
        intake.interest_closes_at = at("2025-06-01 00:00")
        intake.save()
        for session, day in zip(intake.session_list(), SESSION_DAYS, strict=True):
            session.date = day
            session.save()
        Intake.objects.create(
            program=intake.program, year=2026, interest_opens_at=at("2026-03-01 00:00")
        )
    return seed_pages


def frozen(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html):
    main = BeautifulSoup(html, "html.parser").find("main")
    return " ".join(main.get_text(" ").split())


def links_to_form(html):
    soup = BeautifulSoup(html, "html.parser")
    return [a for a in soup.find_all("a") if a.get("href") == INTEREST_PATH]


@pytest.mark.parametrize(
    ("moment", "status", "state", "sentence"),
    TIMELINE,
    ids=[row[0] for row in TIMELINE],
)
def test_one_set_of_dates_drives_every_page(
    client, dated_year, moment, status, state, sentence
):
    with frozen(at(moment)):
        intakes = Intake.objects.filter(year=2025)
        assert {intake.status for intake in intakes} == {status}
        form = InterestFormPage.objects.get()
        assert form.window_state() == state
        pages = {path: page_text(client, path) for path in PAGES}

    program_page = visible_text(pages[PROGRAM])
    # 2025 leads until the next year is the one to act on: 2026, published and
    # still to open, once 2025's interest has closed (forms.interest).
    if status in (IntakeStatus.PLANNED, IntakeStatus.INTEREST_OPEN):
        assert f"Träffar 2025 Status: {status.label}" in program_page
    else:
        assert "Träffar 2026 Status: Planerad" in program_page
        assert f"Tidigare omgångar 2025: {status.label}" in program_page
    form_page = pages[INTEREST_PATH]
    if state == FormWindow.OPEN:
        assert 'method="post"' in form_page
        for path in ("/", INDEX, PROGRAM):
            assert links_to_form(pages[path]), f"{path} does not link to the form"
        assert sentence in program_page
        return
    # Only "Meddela mig när anmälan öppnar" may be posted to while closed.
    posting = re.findall(r"<form[^>]*method=\"post\"[^>]*>", form_page)
    assert all('action="/anmalan-oppnar/"' in tag for tag in posting), posting
    for path, html in pages.items():
        text = visible_text(html)
        assert sentence in text, f"{path} does not say: {sentence}"
        assert not re.search(r"\böppen\b", text), f"{path} claims open: {text}"
        assert not links_to_form(html), f"{path} links to the closed form"


def test_the_seed_reads_as_its_page_on_any_date(client, seed_pages):
    """2024 has started and is closed; 2025 takes interest, closing a year after
    the seed is loaded: `make run` (which loads it) has an open form on any date."""
    for moment in ("2024-05-29 09:00", "2026-11-27 12:00", "2031-01-01 12:00"):
        with frozen(at(moment)):
            call_command("load_seed_content", stdout=io.StringIO())
            assert InterestFormPage.objects.get().window_state() == FormWindow.OPEN
            text = visible_text(page_text(client, PROGRAM))
        assert "Tidigare omgångar 2024: Pågår" in text
        assert "Träffar 2025 Status: Intresseanmälan öppen" in text
        assert OPEN in text


def test_a_full_programme_is_closed_while_the_form_stays_open_for_the_other(
    client, seed_pages
):
    full = Intake.objects.get(
        year=2025, program__url_path__endswith="/toppolitikerprogrammet/"
    )
    full.status_override = IntakeStatus.INTEREST_CLOSED
    full.notice = "Fullbokat"
    full.save()

    program_text = visible_text(page_text(client, PROGRAM))
    assert "Intresseanmälan för 2025 är stängd för det här programmet. Fullbokat" in (
        program_text
    )
    assert not re.search(r"\böppen\b", program_text)
    assert not links_to_form(page_text(client, PROGRAM))
    form_page = BeautifulSoup(page_text(client, INTEREST_PATH), "html.parser")
    offered = {
        label.get_text(strip=True) for label in form_page.select("fieldset label")
    }
    assert "Toppolitikerprogrammet – Fortsättning" in offered
    assert "Toppolitikerprogrammet" not in offered


def intake_form_data(intake, **changes):
    """What the intake's admin form would post, with ``changes``, then publish."""
    sessions = [
        {
            "id": session.pk,
            "date": session.date.isoformat() if session.date else "",
            "days": session.days,
            "start_time": session.start_time.strftime("%H:%M"),
            "end_time": session.end_time.strftime("%H:%M"),
            "end_time_is_approximate": "on" if session.end_time_is_approximate else "",
            "venue": session.venue_id or "",
            "evening_activity": "on" if session.evening_activity else "",
            "ORDER": str(number),
        }
        for number, session in enumerate(intake.session_list(), start=1)
    ]
    local = timezone.localtime
    fields = {
        "program": intake.program_id,
        "year": intake.year,
        "interest_opens_at": (
            local(intake.interest_opens_at).strftime("%Y-%m-%d %H:%M")
            if intake.interest_opens_at
            else ""
        ),
        "interest_closes_at": "",
        "sessions": inline_formset(sessions, initial=len(sessions)),
        "status_override": "",
        "notice": "",
        "action-publish": "action-publish",
    }
    fields.update(changes)
    return nested_form_data(fields)


def test_closing_interest_in_the_admin_closes_it_on_every_page(
    client, editor_client, seed_pages
):
    a_minute_ago = timezone.localtime() - datetime.timedelta(minutes=1)
    for intake in Intake.objects.filter(year=2025):
        url = reverse("wagtailsnippets_programs_intake:edit", args=[intake.pk])
        data = intake_form_data(
            intake, interest_closes_at=a_minute_ago.strftime("%Y-%m-%d %H:%M")
        )
        response = editor_client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors

    for path in PAGES:
        html = page_text(client, path)
        text = visible_text(html)
        assert "Intresseanmälan för 2025 är stängd." in text, path
        assert not re.search(r"\böppen\b", text), f"{path}: {text}"
        assert not links_to_form(html), path
    programs = list(ProgramPage.objects.live().order_by("path"))
    response = client.post(INTEREST_PATH, interest_data(programs))
    assert response.status_code == 410
    assert InterestSubmission.objects.count() == 0


def test_a_draft_intake_is_not_shown_until_it_is_published(client, seed_pages):
    program = ProgramPage.objects.get(url_path__endswith="/toppolitikerprogrammet/")
    draft = Intake(program=program, year=2041, live=False)
    draft.sessions = [Session(date=datetime.date(2041, 9, 9))]
    draft.save()

    assert "2041" not in visible_text(page_text(client, PROGRAM))
    assert client.get(PROGRAM + "kalender/2041.ics").status_code == 404

    draft.save_revision().publish()
    assert "2041" in visible_text(page_text(client, PROGRAM))


def test_the_form_refuses_texts_that_name_another_year(seed_pages):
    form = InterestFormPage.objects.get()
    form.title = "Intresseanmälan för 2026"
    with pytest.raises(Exception) as error:
        form.full_clean()
    assert "Texten nämner 2026, men formuläret gäller antagningen 2025." in str(
        error.value
    )


def test_the_form_refuses_a_year_without_intakes(seed_pages):
    form = InterestFormPage.objects.get()
    form.intake_year = 2031
    for name in ("title", "intro", "not_open_text", "closed_text"):
        setattr(
            form,
            name,
            getattr(form, name).replace("2025", "2031").replace("2024", "2030"),
        )
    with pytest.raises(Exception) as error:
        form.full_clean()
    assert "Det finns ingen antagning för 2031." in str(error.value)
