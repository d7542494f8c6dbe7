"""The public programme pages show the seed's own words, in the editors' order."""

import datetime
import re

from django.template.loader import render_to_string

import pytest
from bs4 import BeautifulSoup

from home.seed import SEED_FILE, load
from programs.models import ContactPerson, PageContactPerson, ProgramFormat

SEED = load()
INDEX_URL = "/toppolitikerprogrammen/"
PROGRAM_URLS = {
    "Toppolitikerprogrammet": "/toppolitikerprogrammen/toppolitikerprogrammet/",
    "Toppolitikerprogrammet – Fortsättning": (
        "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"
    ),
}
THEME_SLUGS = [
    "styrning-och-ledning",
    "samspel-och-kommunikation",
    "det-politiska-ledarskapet",
    "demokrati-och-omvarlden",
]
FACTS_SENTENCE = (
    "Bägge programmen genomförs vid 4 tillfällen på en kursgård i Stockholms "
    "området. Vi börjar 10.00 dag 1 och slutar ca 13.00 dag 2, kvällsaktivitet ingår."
)

pytestmark = pytest.mark.django_db


def page_text(response):
    """The visible text of a response with its whitespace collapsed."""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").split())


def get_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return page_text(response)


def seed_program(title):
    return next(program for program in SEED.programs if program.title == title)


def theme_positions(text, descriptions):
    return [text.index(description) for description in descriptions]


def test_home_page_links_to_the_overview_and_both_programmes(client):
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    links = {a["href"] for a in soup.select("main a[href]")}
    assert {INDEX_URL, *PROGRAM_URLS.values()} <= links
    text = page_text(response)
    assert "6 månader" in text
    assert "drygt 7 månader" in text


def test_index_page_shows_the_seed_intro_and_approach(client):
    text = get_text(client, INDEX_URL)
    assert SEED.title in text
    assert SEED.intro in text
    assert "Så arbetar vi" in text
    assert SEED.approach in text


def test_index_page_states_the_practical_facts_once(client):
    text = get_text(client, INDEX_URL)
    assert text.count(FACTS_SENTENCE) == 1


def test_index_page_lists_both_programmes_with_duration_and_change_note(client):
    response = client.get(INDEX_URL)
    text = page_text(response)
    soup = BeautifulSoup(response.content, "html.parser")
    main_links = {a["href"] for a in soup.select("main a[href]")}
    for title, url in PROGRAM_URLS.items():
        assert title in text
        assert url in main_links
    assert "6 månader" in text
    assert "drygt 7 månader" in text
    assert "Innehållet kan förändras utifrån gruppens utvecklingsbehov." in text


def test_index_page_names_its_information_owner(client):
    text = get_text(client, INDEX_URL)
    assert "Informationsansvarig Lena Lindgren Projektledare" in text


def test_index_page_shows_its_first_publication_date_in_swedish(client):
    text = get_text(client, INDEX_URL)
    assert "Publicerad 29 maj 2024" in text


def test_updated_date_appears_once_the_page_is_republished_on_a_later_day(
    client, seed_pages
):
    index = seed_pages[INDEX_URL]
    index.last_published_at = datetime.datetime(2025, 2, 3, 12, 0, tzinfo=datetime.UTC)
    index.save(update_fields=["last_published_at"])
    text = get_text(client, INDEX_URL)
    assert "Publicerad 29 maj 2024" in text
    assert "Uppdaterad 3 februari 2025" in text


@pytest.mark.parametrize("title", PROGRAM_URLS)
def test_programme_page_shows_its_lead_goal_audience_and_facts(client, title):
    program = seed_program(title)
    text = get_text(client, PROGRAM_URLS[title])
    assert program.lead in text
    if program.goal:
        assert f"Mål {program.goal}" in text
    else:  # its goal is part of its lead: not said twice
        assert "Mål " not in text
    assert f"Vem programmet är för {program.audience}" in text
    assert f"Längd {program.duration_text}" in text
    assert "Programmet genomförs vid 4 tillfällen" in text
    assert "Tidigare omgångar 2024: Pågår" in text
    assert "Träffar 2025 Status: Intresseanmälan öppen" in text


SEED_OPENINGS = {
    "Toppolitikerprogrammet": "Toppolitikerprogrammet",
    "Toppolitikerprogrammet – Fortsättning": "Toppledarprogrammet - Fortsättning",
}


def seed_opening_sentences(heading):
    """The sentences of the paragraph under ``heading`` in the seed file itself."""
    paragraphs = [
        p.strip() for p in SEED_FILE.read_text(encoding="utf-8").split("\n\n")
    ]
    opening = paragraphs[paragraphs.index(heading) + 1]
    return [" ".join(s.split()) for s in re.split(r"(?<=[.:])\s+", opening)]


@pytest.mark.parametrize("title", PROGRAM_URLS)
def test_programme_page_carries_every_sentence_of_its_seed_paragraph(client, title):
    """Also the continuation's 'Programmet pågår under drygt 7 månader, …' sentence."""
    text = get_text(client, PROGRAM_URLS[title])
    for sentence in seed_opening_sentences(SEED_OPENINGS[title]):
        assert sentence in text, sentence


@pytest.mark.parametrize("title", PROGRAM_URLS)
def test_programme_page_shows_its_own_four_themes_in_tree_order(client, title):
    text = get_text(client, PROGRAM_URLS[title])
    descriptions = [theme.description for theme in seed_program(title).themes]
    assert len(descriptions) == 4
    positions = theme_positions(text, descriptions)
    assert positions == sorted(positions)
    others = [
        theme.description
        for program in SEED.programs
        if program.title != title
        for theme in program.themes
    ]
    assert not any(description in text for description in others)


@pytest.mark.parametrize("title", PROGRAM_URLS)
@pytest.mark.parametrize("position", range(4))
def test_theme_page_shows_its_programmes_description(client, title, position):
    theme = seed_program(title).themes[position]
    url = f"{PROGRAM_URLS[title]}{THEME_SLUGS[position]}/"
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == theme.title
    text = page_text(response)
    assert theme.description in text
    assert f"Tillbaka till {title}" in text


@pytest.mark.parametrize("url", [INDEX_URL, *PROGRAM_URLS.values()])
def test_overview_and_programme_pages_link_to_the_interest_form(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert soup.select_one('main a[href="/toppolitikerprogrammen/intresseanmalan/"]')


@pytest.mark.parametrize(
    "url", ["/", INDEX_URL, PROGRAM_URLS["Toppolitikerprogrammet"]]
)
def test_page_ends_with_a_contact_us_link_to_the_contact_form(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    section = soup.select(".page-footer section")[-1]
    assert section.h2.get_text(strip=True) == "Kontakta oss"
    assert section.select_one('a[href="/kontakt/"]') is not None


def test_theme_page_without_contacts_shows_the_nearest_ancestors(client):
    url = f"{PROGRAM_URLS['Toppolitikerprogrammet']}{THEME_SLUGS[0]}/"
    text = get_text(client, url)
    assert "Informationsansvarig Lena Lindgren Projektledare" in text


def test_theme_page_with_its_own_contacts_shows_those_instead(client, seed_pages):
    url = f"{PROGRAM_URLS['Toppolitikerprogrammet']}{THEME_SLUGS[1]}/"
    person = ContactPerson.objects.create(
        name="Anna Andersson",
        job_title="Utbildningsledare",
        email="anna.andersson@example.org",
    )
    PageContactPerson.objects.create(page=seed_pages[url], person=person)
    text = get_text(client, url)
    assert (
        "Informationsansvarig Anna Andersson Utbildningsledare "
        "anna.andersson@example.org"
    ) in text
    assert "Lena Lindgren" not in text
    sibling = f"{PROGRAM_URLS['Toppolitikerprogrammet']}{THEME_SLUGS[0]}/"
    assert "Lena Lindgren" in get_text(client, sibling)


def test_moving_a_theme_changes_its_place_on_the_programme_page(client, seed_pages):
    title = "Toppolitikerprogrammet"
    url = PROGRAM_URLS[title]
    themes = seed_program(title).themes
    last = seed_pages[f"{url}{THEME_SLUGS[3]}/"]
    first = seed_pages[f"{url}{THEME_SLUGS[0]}/"]
    last.move(first, pos="left")
    text = get_text(client, url)
    expected = [themes[3], themes[0], themes[1], themes[2]]
    positions = theme_positions(text, [theme.description for theme in expected])
    assert positions == sorted(positions)


def test_practical_facts_sentence_follows_the_structured_fields():
    facts = ProgramFormat(
        sessions=1,
        venue="Malmö",
        start_time=datetime.time(9, 30),
        end_time=datetime.time(15, 0),
        end_time_is_approximate=False,
        evening_activity=False,
    )
    html = render_to_string(
        "components/program_format.html", {"format": facts, "lead_in": "Programmet"}
    )
    assert " ".join(html.split()) == (
        "Programmet genomförs vid 1 tillfälle på Malmö. "
        "Vi börjar 9.30 dag 1 och slutar 15.00 dag 2."
    )
