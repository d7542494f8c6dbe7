"""Intakes: the status derived from the dates, the override, sessions and venues."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from programs.models import Intake, IntakeStatus, Session, Venue, derive_status

pytestmark = pytest.mark.django_db

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))


def at(*args):
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


OPENS = at(2025, 3, 1, 8, 0)
CLOSES = at(2025, 9, 30, 23, 59)
FIRST = at(2026, 2, 10, 10, 0)
LAST = at(2026, 9, 11, 13, 0)


@pytest.mark.parametrize(
    "now,expected",
    [
        (at(2025, 2, 28, 12, 0), IntakeStatus.PLANNED),
        (OPENS, IntakeStatus.INTEREST_OPEN),
        (at(2025, 9, 30, 23, 58), IntakeStatus.INTEREST_OPEN),
        (CLOSES, IntakeStatus.INTEREST_CLOSED),
        (at(2026, 2, 10, 9, 59), IntakeStatus.INTEREST_CLOSED),
        (FIRST, IntakeStatus.RUNNING),
        (at(2026, 9, 11, 12, 59), IntakeStatus.RUNNING),
        (LAST, IntakeStatus.FINISHED),
    ],
)
def test_status_follows_the_dates_at_each_boundary(now, expected):
    assert derive_status(OPENS, CLOSES, FIRST, LAST, now) == expected


@pytest.mark.parametrize(
    "opens,closes,first,last,expected",
    [
        (None, None, None, None, IntakeStatus.PLANNED),
        (OPENS, None, None, None, IntakeStatus.INTEREST_OPEN),  # open until closed
        (None, CLOSES, None, None, IntakeStatus.INTEREST_CLOSED),
        (None, None, FIRST, LAST, IntakeStatus.FINISHED),
        (OPENS, None, FIRST, None, IntakeStatus.RUNNING),
    ],
)
def test_missing_dates_claim_no_more_than_they_know(
    opens, closes, first, last, expected
):
    assert derive_status(opens, closes, first, last, at(2027, 1, 1)) == expected


@pytest.fixture
def program(seed_pages):
    return seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]


def make_intake(program, year=2030, dates=(), **fields):
    intake = Intake(program=program, year=year, **fields)
    intake.sessions = [Session(date=date) for date in dates]
    intake.save()
    return intake


def test_an_intake_with_past_sessions_is_finished_and_future_ones_planned(program):
    past = make_intake(
        program, 2020, [datetime.date(2020, month, 1) for month in (2, 3)]
    )
    future = make_intake(program, 2099, [datetime.date(2099, 2, 1)])
    assert past.status == IntakeStatus.FINISHED
    assert (past.first_date, past.last_date) == (
        datetime.date(2020, 2, 1),
        datetime.date(2020, 3, 2),  # two-day sessions end the day after
    )
    assert future.status == IntakeStatus.PLANNED


def test_the_override_wins_and_carries_its_notice(program):
    intake = make_intake(
        program, status_override=IntakeStatus.INTEREST_CLOSED, notice="Fullbokat"
    )
    assert intake.status == IntakeStatus.INTEREST_CLOSED
    assert intake.get_status_display() == "Intresseanmälan stängd"


def test_moving_a_session_raises_its_sequence_and_other_edits_do_not(program):
    intake = make_intake(program, dates=[datetime.date(2030, 2, 10)])
    session = intake.sessions.get()
    assert session.sequence == 0
    session.evening_activity = False
    session.save()
    assert session.sequence == 0
    session.date = datetime.date(2030, 2, 17)
    session.save()
    session.refresh_from_db()
    assert session.sequence == 1
    session.end_time = datetime.time(14, 0)
    session.save()
    session.refresh_from_db()
    assert session.sequence == 2


def test_an_editor_creates_an_intake_with_four_sessions_in_the_admin(client, program):
    client.force_login(
        get_user_model().objects.create_superuser("redaktor", "r@example.com", "x")
    )
    venue = Venue.objects.create(name="Kursgården", town="Sigtuna")
    add_url = reverse("wagtailsnippets_programs_intake:add")
    form = client.get(f"{add_url}?program={program.pk}")
    assert form.status_code == 200
    sessions = [
        {
            "date": f"2030-{month:02d}-10",
            "days": 2,
            "start_time": "10:00",
            "end_time": "13:00",
            "end_time_is_approximate": "on",
            "venue": venue.pk,
            "evening_activity": "on",
        }
        for month in (2, 4, 6, 9)
    ]
    data = nested_form_data(
        {
            "program": program.pk,
            "year": 2030,
            "interest_opens_at": "2029-03-01 08:00",
            "interest_closes_at": "2029-06-01 00:00",
            "sessions": inline_formset(sessions),
            "status_override": "",
            "notice": "",
            "action-publish": "action-publish",
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors
    intake = Intake.objects.get(program=program, year=2030)
    assert [s.date.month for s in intake.session_list()] == [2, 4, 6, 9]
    assert all(s.venue == venue for s in intake.session_list())
    # The programme's edit view lists the intake and links to its editor.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[program.pk]))
    edit_url = reverse("wagtailsnippets_programs_intake:edit", args=[intake.pk])
    assert edit_url in edit.content.decode()
    assert f"{add_url}?program={program.pk}" in edit.content.decode()


def test_a_time_with_a_zone_is_refused_in_swedish(program):
    """Through the v3 API a time may arrive as "10:00Z"; it is no Stockholm time."""
    intake = make_intake(program, dates=[datetime.date(2030, 2, 10)])
    session = intake.sessions.get()
    session.start_time = datetime.time(10, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as error:
        session.full_clean(exclude=["intake"])
    assert error.value.message_dict["start_time"] == [
        "Ange tiden utan tidszon, i svensk tid (t.ex. 10:00)."
    ]
