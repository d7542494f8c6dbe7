"""The programme page costs the same number of queries however long it grows."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from programs.models import Intake, Session, ThemePage, Venue

pytestmark = pytest.mark.django_db

PROGRAM_URL = "/toppolitikerprogrammen/toppolitikerprogrammet/"
# Measured as production renders a page the page cache does not hold: Wagtail's
# routing (5: the site, the start page, two per level) and privacy check (2:
# the ancestors' aliases, the view restrictions), the overview's note (1),
# themes (1), intakes (1) and their sessions with venues (1), the practical
# facts (1), the interest form and its intakes with their sessions (3: the
# registration notice), information owners (1). The navigation, breadcrumbs,
# footer and contact link are fragments kept until content changes
# ({% wagtailcache %}). Issue 11's goal of 10 was met with a second router
# (home/live_tree.py), removed in issue 19: readers are served from the page
# cache, and a render happens once per page and change. Raise it only with a
# reason.
QUERY_BUDGET = 17


@pytest.fixture(autouse=True)
def fragments_kept(settings):
    settings.PAGE_CACHE_SECONDS = 60


def count_queries(client, url):
    url += "?render"  # the page cache passes a query string by: it renders
    client.get(url)  # warm the per-process caches and the fragments
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(program, themes, intakes, first_year=2030):
    """Give ``program`` extra themes and intakes of four dated sessions, all live."""
    for number in range(themes):
        program.add_child(
            instance=ThemePage(
                title=f"Extratema {number}",
                slug=f"extratema-{number}",
                description=f"<p>Beskrivning av extratema {number}.</p>",
            )
        )
    venue = Venue.objects.create(name="Kursgård", street_address="Vägen 1", town="Ort")
    for number in range(intakes):
        year = first_year + number
        intake = Intake(program=program, year=year)
        intake.sessions = [
            Session(date=datetime.date(year, month, 10), venue=venue)
            for month in (2, 4, 6, 9)
        ]
        intake.save()


def test_programme_page_stays_within_its_query_budget(client):
    assert count_queries(client, PROGRAM_URL) <= QUERY_BUDGET


def test_programme_page_queries_do_not_grow_with_themes_and_intakes(client, seed_pages):
    program = seed_pages[PROGRAM_URL]
    assert len(program.themes) == 4
    baseline = count_queries(client, PROGRAM_URL)

    grow(program, themes=8, intakes=10)
    response = client.get(PROGRAM_URL)
    assert response.content.decode().count('class="theme"') == 12
    assert response.content.decode().count("Planerad") == 10

    assert count_queries(client, PROGRAM_URL) == baseline


API_LISTING = "/api/v2/pages/"
API_QUERY = {"type": "programs.ProgramPage", "fields": "intakes"}


def count_api_queries(client):
    client.get(API_LISTING, API_QUERY)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API_LISTING, API_QUERY)
    assert response.status_code == 200
    return len(queries), response.json()


def test_page_and_api_cost_the_same_with_1_and_5_intakes_of_4_sessions(
    client, seed_pages
):
    program = seed_pages[PROGRAM_URL]
    grow(program, themes=0, intakes=1)
    page_with_one = count_queries(client, PROGRAM_URL)
    api_with_one, _ = count_api_queries(client)

    grow(program, themes=0, intakes=4, first_year=2031)
    page_with_five = count_queries(client, PROGRAM_URL)
    api_with_five, data = count_api_queries(client)

    mine = next(item for item in data["items"] if item["id"] == program.pk)
    grown = [item for item in mine["intakes"] if item["year"] >= 2030]
    assert [item["year"] for item in grown] == [2030, 2031, 2032, 2033, 2034]
    assert all(len(item["sessions"]) == 4 for item in grown)
    assert page_with_five == page_with_one
    assert api_with_five == api_with_one
