"""Calendar files: one VEVENT per dated session, Stockholm time, stable UIDs."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from programs.models import Intake, Session, Venue

pytestmark = pytest.mark.django_db

PROGRAM_URL = "/toppolitikerprogrammen/toppolitikerprogrammet/"
INTAKE_ICS = f"{PROGRAM_URL}kalender/2030.ics"
FEED_ICS = f"{PROGRAM_URL}kalender.ics"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = (2, 4, 6, 9)


@pytest.fixture
def program(seed_pages):
    return seed_pages[PROGRAM_URL]


@pytest.fixture
def venue():
    return Venue.objects.create(
        name="Kursgården Ekudden", street_address="Ekuddsvägen 1", town="Sigtuna"
    )


@pytest.fixture
def intake(program, venue):
    intake = Intake(program=program, year=2030)
    intake.sessions = [
        Session(date=datetime.date(2030, month, 10), venue=venue) for month in MONTHS
    ]
    intake.save()
    return intake


def fetch_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_of(calendar):
    return sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))


def test_intake_calendar_has_four_events_in_stockholm_time(client, intake):
    calendar = fetch_calendar(client, INTAKE_ICS)
    assert str(calendar["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [
        "Europe/Stockholm"
    ]
    events = events_of(calendar)
    assert len(events) == 4
    for month, event in zip(MONTHS, events, strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert start == datetime.datetime(2030, month, 10, 10, 0, tzinfo=STOCKHOLM)
        assert end == datetime.datetime(2030, month, 11, 13, 0, tzinfo=STOCKHOLM)
        assert str(event["LOCATION"]) == "Kursgården Ekudden, Ekuddsvägen 1, Sigtuna"
        assert "Kvällsaktivitet ingår" in str(event["DESCRIPTION"])
        assert event["SEQUENCE"] == 0
        assert "DTSTAMP" in event
    uids = {str(event["UID"]) for event in events}
    assert uids == {f"session-{s.pk}@testserver" for s in intake.sessions.all()}


def test_moving_a_session_in_the_admin_keeps_uids_and_raises_sequence(
    client, intake, venue
):
    before = {str(e["UID"]): e for e in events_of(fetch_calendar(client, INTAKE_ICS))}
    client.force_login(
        get_user_model().objects.create_superuser("redaktor", "r@example.com", "x")
    )
    sessions = intake.session_list()
    moved = sessions[1]
    rows = [
        {
            "id": session.pk,
            "date": ("2030-04-24" if session == moved else session.date.isoformat()),
            "days": session.days,
            "start_time": "10:00",
            "end_time": "13:00",
            "end_time_is_approximate": "on",
            "venue": venue.pk,
            "evening_activity": "on",
            "ORDER": str(number),
        }
        for number, session in enumerate(sessions, start=1)
    ]
    data = nested_form_data(
        {
            "program": intake.program_id,
            "year": 2030,
            "interest_opens_at": "",
            "interest_closes_at": "",
            "sessions": inline_formset(rows, initial=4),
            "status_override": "",
            "notice": "",
            # Intakes have drafts: only a published change reaches calendars.
            "action-publish": "action-publish",
        }
    )
    edit_url = reverse("wagtailsnippets_programs_intake:edit", args=[intake.pk])
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors

    after = {str(e["UID"]): e for e in events_of(fetch_calendar(client, INTAKE_ICS))}
    assert set(after) == set(before)
    moved_uid = f"session-{moved.pk}@testserver"
    assert after[moved_uid].decoded("dtstart").date() == datetime.date(2030, 4, 24)
    assert after[moved_uid]["SEQUENCE"] > before[moved_uid]["SEQUENCE"]
    for uid in set(after) - {moved_uid}:
        assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"]


def test_feed_holds_every_intakes_dated_sessions(client, intake, program):
    later = Intake(program=program, year=2031)
    later.sessions = [Session(date=datetime.date(2031, 3, 3)), Session(date=None)]
    later.save()
    events = events_of(fetch_calendar(client, FEED_ICS))
    assert len(events) == 5  # the seeded 2025 sessions and one of 2031 have no date
    assert str(events[-1]["SUMMARY"]).endswith("2031, träff 1 av 2")


def test_unknown_year_is_not_found(client, intake):
    assert client.get(f"{PROGRAM_URL}kalender/2029.ics").status_code == 404


def test_programme_page_links_to_the_intake_calendar_and_the_feed(client, intake):
    # Make 2030 the next intake, without the seeded ones before it.
    Intake.objects.filter(program=intake.program, year__lt=2030).delete()
    soup = BeautifulSoup(client.get(PROGRAM_URL).content, "html.parser")
    adds = [a for a in soup.select("a") if "Lägg till i kalender" in a.get_text()]
    assert [a["href"] for a in adds] == [f"{PROGRAM_URL}kalender/2030.ics"]
    feed = soup.find("a", href=lambda href: href and href.endswith("/kalender.ics"))
    assert feed is not None


def test_seeded_page_offers_the_feed_but_no_empty_intake_file(client):
    soup = BeautifulSoup(client.get(PROGRAM_URL).content, "html.parser")
    hrefs = [a["href"] for a in soup.select("a[href$='.ics']")]
    assert hrefs == [FEED_ICS]
