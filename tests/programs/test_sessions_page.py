"""The programme page shows its current or next intake's sessions and status."""

import datetime

import pytest
from bs4 import BeautifulSoup

from programs.models import Intake, Session, Venue

pytestmark = pytest.mark.django_db

PROGRAM_URL = "/toppolitikerprogrammen/toppolitikerprogrammet/"
CHANGE_NOTE = "Innehållet kan förändras utifrån gruppens utvecklingsbehov."


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def program(seed_pages):
    return seed_pages[PROGRAM_URL]


def test_seeded_page_says_the_sessions_are_not_dated_yet(client):
    soup = soup_of(client, PROGRAM_URL)
    section = soup.select_one("section.intake-sessions")
    text = " ".join(section.get_text(" ").split())
    assert "Träffar 2025" in text
    assert "Status: Intresseanmälan öppen" in text
    rows = section.select("tbody tr")
    assert len(rows) == 4
    assert all("Datum ej bestämt" in row.get_text() for row in rows)
    assert "Kursgård i Stockholmsområdet" in text
    assert "10.00 dag 1 – ca 13.00 dag 2" in text


def test_dated_sessions_show_in_a_table_with_swedish_dates_and_venue(client, program):
    # Replace the seeded 2025 intake's undated sessions with dated ones.
    Intake.objects.filter(program=program).delete()
    venue = Venue.objects.create(
        name="Kursgården Ekudden", street_address="Ekuddsvägen 1", town="Sigtuna"
    )
    intake = Intake(program=program, year=2099, notice="Fullbokat")
    intake.sessions = [
        Session(date=datetime.date(2099, 3, 12), venue=venue),
        Session(date=datetime.date(2099, 4, 30), venue=venue, evening_activity=False),
        Session(date=datetime.date(2099, 6, 5), venue=None),
        Session(
            date=datetime.date(2099, 9, 1),
            venue=venue,
            days=1,
            end_time=datetime.time(16, 0),
            end_time_is_approximate=False,
        ),
    ]
    intake.save()
    soup = soup_of(client, PROGRAM_URL)
    table = soup.select_one("section.intake-sessions table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Träff", "Datum", "Tid", "Plats", "Kvällsaktivitet"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    rows = [
        [" ".join(cell.get_text(" ").split()) for cell in row.select("th, td")]
        for row in table.select("tbody tr")
    ]
    assert rows[0] == [
        "1",
        "12–13 mars 2099",
        "10.00 dag 1 – ca 13.00 dag 2",
        "Kursgården Ekudden Ekuddsvägen 1, Sigtuna",
        "Ingår",
    ]
    assert rows[1][1] == "30 april – 1 maj 2099"
    assert rows[1][4] == "Ingår inte"
    assert rows[2][3] == "Meddelas senare"
    assert rows[3][1:3] == ["1 september 2099", "10.00–16.00"]
    status = soup.select_one(".intake-sessions__status").get_text(" ", strip=True)
    assert "Planerad" in status and "Fullbokat" in status


@pytest.mark.parametrize(
    "url", [PROGRAM_URL, "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"]
)
def test_the_change_note_follows_the_themes_on_each_programme_page(client, url):
    soup = soup_of(client, url)
    themes = soup.select_one("section[aria-labelledby=themes-heading]")
    assert themes.select_one("p.note").get_text(strip=True) == CHANGE_NOTE


def test_a_running_intake_with_sessions_to_come_is_the_one_shown(client, program):
    """When no intake is open or still to open (here: the only one)."""
    Intake.objects.filter(program=program).delete()
    running = Intake(program=program, year=2026)
    running.sessions = [
        Session(date=datetime.date(2020, 2, 1)),
        Session(date=datetime.date(2099, 2, 1)),
    ]
    running.save()
    assert running.status == Intake.Status.RUNNING
    soup = soup_of(client, PROGRAM_URL)
    assert soup.select_one(".intake-sessions h2").get_text() == "Träffar 2026"
    assert "Pågår" in soup.select_one(".intake-sessions__status").get_text()


def test_the_sessions_and_their_table_are_landmarks_with_names_of_their_own(client):
    """axe's landmark-unique: two regions named alike cannot be told apart."""
    soup = soup_of(client, PROGRAM_URL)
    section = soup.select_one("section.intake-sessions")
    region = section.select_one('[role="region"]')
    names = [
        soup.find(id=landmark["aria-labelledby"]).get_text(" ", strip=True)
        for landmark in (section, region)
    ]
    assert names[0] == "Träffar 2025"
    assert names[1] == "Träffarnas datum, tider och plats 2025"
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
