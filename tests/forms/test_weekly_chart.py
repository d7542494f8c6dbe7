"""The admin home's chart of registrations per week: server-drawn SVG that a
screen reader reads as one image, with its numbers as a table."""

from datetime import date, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from forms.models import InterestSubmission
from forms.weekly_chart import chart, weekly_counts
from tests.factories import make_registration

INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"


def sent_on(submission, day):
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    InterestSubmission.objects.filter(pk=submission.pk).update(
        submit_time=moment + timedelta(hours=10)
    )


@pytest.fixture
def this_year(seed_pages):
    form = seed_pages[INTEREST_FORM]
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    rows = [make_registration(form, f"Person{n} X") for n in range(3)]
    for row in rows:
        sent_on(row, monday)
    last_year = make_registration(form, "Gammal X")
    sent_on(last_year, date(today.year - 1, 6, 1))
    unverified = make_registration(form, "Ej Verifierad", verification="unverified")
    sent_on(unverified, monday)
    return today


def test_the_weeks_of_this_year_are_counted_in_one_query(this_year):
    with CaptureQueriesContext(connection) as queries:
        weeks = weekly_counts(this_year)
    assert len(queries) == 1
    assert weeks[-1]["count"] == 3  # this week: not last year's, not unverified
    assert sum(week["count"] for week in weeks) == 3
    assert weeks[-1]["number"] == this_year.isocalendar()[1]


def test_the_admin_home_shows_an_accessible_svg_and_the_same_numbers_as_a_table(
    manager_client, this_year
):
    response = manager_client.get("/admin/")
    soup = BeautifulSoup(response.content, "html.parser")
    section = soup.select_one(".weekly-registrations")
    svg = section.find("svg")
    assert svg["role"] == "img"
    labelled_by = svg["aria-labelledby"].split()
    assert [svg.find(id=name).name for name in labelled_by] == ["title", "desc"]
    assert "Totalt 3 intresseanmälningar i år" in svg.find("desc").text
    assert len(svg.find_all("rect")) == len(weekly_counts(this_year))
    table = section.find("details").find("table")
    cells = {
        tr.th.text.strip(): tr.find_all("td")[-1].text.strip()
        for tr in table.select("tbody tr")
    }
    assert cells[str(this_year.isocalendar()[1])] == "3"
    assert table.select_one("tfoot td").text.strip() == "3"
    assert not soup.select(".weekly-registrations script")
    # Coordinates are numbers SVG reads, never "12,5".
    assert all("," not in rect["height"] for rect in svg.find_all("rect"))


def test_an_editor_sees_no_chart(editor_client, this_year):
    response = editor_client.get("/admin/")
    assert b"weekly-registrations" not in response.content


def test_the_bars_grow_with_their_counts():
    weeks = [
        {"number": 1, "start": date(2026, 1, 5), "count": 0},
        {"number": 2, "start": date(2026, 1, 12), "count": 5},
        {"number": 3, "start": date(2026, 1, 19), "count": 10},
    ]
    bars = chart(weeks)["bars"]
    assert bars[0]["height"] == 0
    assert bars[2]["height"] == pytest.approx(2 * bars[1]["height"])
    assert "vecka 3 (10 stycken)" in chart(weeks)["description"]
