"""The start page: each programme's interest state and the seed's dates."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import set_interest_window

pytestmark = pytest.mark.django_db

PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"


def statuses(client, path="/"):
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    return [tag.get_text(" ", strip=True) for tag in soup.select(".card__status")]


def notice(client):
    """What "Kort om programmet" says under "Så anmäler du intresse"."""
    soup = BeautifulSoup(client.get(PROGRAM).content, "html.parser")
    term = soup.find("dt", string="Så anmäler du intresse")
    return term.find_next_sibling("dd").p.get_text(" ", strip=True)


def test_each_card_says_interest_is_open_as_the_programme_page_does(client):
    set_interest_window(2025, opens=-1, closes=10)
    assert statuses(client) == ["Intresseanmälan för 2025 är öppen"] * 2
    assert notice(client) == "Intresseanmälan för 2025 är öppen."


def test_each_card_says_interest_is_closed_in_the_programme_pages_words(client):
    set_interest_window(2025, opens=-20, closes=-10)
    cards = statuses(client)
    assert len(cards) == 2
    assert cards[0] == notice(client)
    assert "stängd" in cards[0]


def test_the_start_page_is_dated_like_the_other_seeded_pages(seed_pages):
    home, program = seed_pages["/"], seed_pages[PROGRAM]
    assert home.first_published_at.date() == program.first_published_at.date()
    assert home.last_published_at.date() == program.last_published_at.date()
