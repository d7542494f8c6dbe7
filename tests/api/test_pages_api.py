"""The read API at /api/v2/: every page type, caching, CORS, no personal data."""

import base64
import datetime

from django.test import override_settings
from django.utils import timezone

from wagtail.models import Page

import pytest
from axes.models import AccessAttempt

from forms.models import InterestSubmission
from programs.models import Intake, Session, ThemePage, Venue
from tests.factories import set_interest_window

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"

THEMES = [
    "Styrning och ledning",
    "Samspel och kommunikation",
    "Det politiska ledarskapet",
    "Demokrati och omvärlden",
]


def detail(client, page):
    response = client.get(f"{PAGES}{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_listing_shows_every_live_seed_page_with_its_type(client, seed_pages):
    response = client.get(PAGES, {"limit": 100})
    assert response.status_code == 200
    listed = {item["id"]: item["meta"]["type"] for item in response.json()["items"]}
    live = Page.objects.live().public().filter(depth__gte=2).specific()
    assert listed == {page.pk: page.specific_class._meta.label for page in live}
    types = set(listed.values())
    assert {"home.HomePage", "programs.ProgramIndexPage"} <= types
    assert {"programs.ProgramPage", "programs.ThemePage"} <= types


def test_every_page_serialises_all_its_api_fields(client):
    for page in Page.objects.live().public().filter(depth__gte=2).specific():
        data = detail(client, page)
        expected = {field.name for field in page.api_fields}
        assert expected <= set(data), page.specific_class.__name__


def test_programme_has_duration_facts_intakes_and_information_owners(
    client, seed_pages
):
    data = detail(client, seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"])
    assert data["meta"]["type"] == "programs.ProgramPage"
    assert data["lead"] and data["audience"] and "goal" in data
    assert (data["duration_months"], data["duration_text"]) == (6, "6 månader")
    assert data["program_format"]["sessions"] == 4
    assert data["program_format"]["start_time"] == "10:00:00"
    assert data["program_format"]["evening_activity"] is True
    intakes = {intake["year"]: intake for intake in data["intakes"]}
    assert intakes[2024]["status"] == "running"
    assert intakes[2025]["status"] == "interest_open"
    assert intakes[2025]["status_display"] == "Intresseanmälan öppen"
    owners = [
        (owner["name"], owner["job_title"]) for owner in data["information_owners"]
    ]
    assert owners == [("Lena Lindgren", "Projektledare")]


@pytest.mark.parametrize(
    "path,duration",
    [
        ("/toppolitikerprogrammen/toppolitikerprogrammet/", (6, "6 månader")),
        (
            "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/",
            (7, "drygt 7 månader"),
        ),
    ],
)
def test_each_programme_lists_its_own_four_themes_in_tree_order(
    client, seed_pages, path, duration
):
    programme = seed_pages[path]
    data = detail(client, programme)
    assert (data["duration_months"], data["duration_text"]) == duration
    assert [theme["title"] for theme in data["themes"]] == THEMES
    children = ThemePage.objects.child_of(programme).order_by("path")
    assert [theme["id"] for theme in data["themes"]] == [t.pk for t in children]
    assert [theme["description"] for theme in data["themes"]] == [
        t.description for t in children
    ]


def test_programme_gives_the_sentence_that_introduces_its_themes(client, seed_pages):
    path = "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"
    data = detail(client, seed_pages[path])
    assert data["themes_intro"] == (
        "Programmet pågår under drygt 7 månader, och innehåller följande teman:"
    )


def test_the_two_programmes_have_eight_different_theme_descriptions(client, seed_pages):
    themes = [
        theme
        for path in (
            "/toppolitikerprogrammen/toppolitikerprogrammet/",
            "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/",
        )
        for theme in detail(client, seed_pages[path])["themes"]
    ]
    assert len(themes) == 8
    assert len({theme["description"] for theme in themes}) == 8


def test_index_lists_programmes_shared_facts_and_change_note(client, seed_pages):
    data = detail(client, seed_pages["/toppolitikerprogrammen/"])
    assert [program["title"] for program in data["programs"]] == [
        "Toppolitikerprogrammet",
        "Toppolitikerprogrammet – Fortsättning",
    ]
    assert data["program_format"]["sessions"] == 4
    assert data["change_note"] == (
        "Innehållet kan förändras utifrån gruppens utvecklingsbehov."
    )


def test_theme_and_home_pages_serialise(client, seed_pages):
    theme = detail(
        client,
        seed_pages[
            "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/"
        ],
    )
    assert theme["description"].startswith("<p>")
    assert theme["meta"]["parent"]["title"] == "Toppolitikerprogrammet"
    home = detail(client, seed_pages["/"])
    assert home["meta"]["type"] == "home.HomePage"


def test_form_page_exposes_fields_state_and_urls(client, interest_page):
    data = detail(client, interest_page)
    assert data["intake_year"] == 2025
    assert data["state"] == "open" and data["is_open"] is True
    assert data["challenge_url"] == "/altcha/challenge/"
    assert data["submission_url"] == f"/api/forms/{interest_page.pk}/submissions"
    types = {field["field_type"] for field in data["form_fields"]}
    assert "program_choice" in types
    assert all(field["label"] for field in data["form_fields"])
    assert {"opens_at", "closes_at", "intro"} <= set(data)


def test_contact_form_page_exposes_state(client, contact_page):
    data = detail(client, contact_page)
    assert data["meta"]["type"] == "forms.ContactFormPage"
    assert data["state"] == "open"
    assert data["form_fields"]


@pytest.mark.parametrize(
    "opens,closes,state",
    [(1, 2, "not_yet_open"), (-2, -1, "closed"), (-1, 1, "open")],
)
def test_form_page_state_follows_its_window(
    client, interest_page, opens, closes, state
):
    set_interest_window(interest_page.intake_year, opens, closes)
    data = detail(client, interest_page)
    assert data["state"] == state
    assert data["is_open"] is (state == "open")


def test_no_submission_data_appears_anywhere_in_the_pages_api(client, interest_page):
    submission = InterestSubmission.objects.create(
        page=interest_page,
        form_data={"namn": "Qwertyuiop Hemligsson"},
        name="Qwertyuiop Hemligsson",
        email="qwertyuiop@hemlig.example",
        intake_year=2025,
    )
    secrets = ["Qwertyuiop", "hemlig.example"]
    urls = [f"{PAGES}?fields=*&limit=100"]
    for page in Page.objects.live().filter(depth__gte=2).specific():
        label = page.specific_class._meta.label
        urls += [f"{PAGES}?type={label}&fields=*&limit=100", f"{PAGES}{page.pk}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not any(secret in body for secret in secrets), url
        assert f'"submission_id": {submission.pk}' not in body


def test_reads_are_cacheable_and_revalidate_with_etag(client, seed_pages):
    url = f"{PAGES}{seed_pages['/toppolitikerprogrammen/'].pk}/"
    response = client.get(url)
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@override_settings(API_CACHE_MAX_AGE=5)
def test_cache_lifetime_is_a_setting(client):
    response = client.get(PAGES)
    assert "max-age=5" in response["Cache-Control"]
    assert response.has_header("ETag")


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_image_and_document_endpoints_answer_with_cache_headers(client, endpoint):
    response = client.get(f"/api/v2/{endpoint}/")
    assert response.status_code == 200
    assert response.has_header("ETag")
    assert "public" in response["Cache-Control"]


def test_errors_are_not_marked_cacheable(client):
    response = client.get(f"{PAGES}999999/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_cors_allows_an_allow_listed_origin(client):
    response = client.get(PAGES, HTTP_ORIGIN="https://front.example")
    assert response["Access-Control-Allow-Origin"] == "https://front.example"


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_cors_refuses_any_other_origin(client):
    response = client.get(PAGES, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_cors_headers_are_limited_to_the_api(client):
    response = client.get("/", HTTP_ORIGIN="https://front.example")
    assert not response.has_header("Access-Control-Allow-Origin")


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_another_origin_may_fetch_the_verification_challenge(client):
    """A front-end elsewhere needs the challenge before it can submit a form."""
    response = client.get("/altcha/challenge/", HTTP_ORIGIN="https://front.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://front.example"


def test_a_browser_gets_json_not_the_browsable_html(client):
    response = client.get(PAGES, HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_programme_intakes_nest_their_ordered_sessions_and_venues(client, seed_pages):
    program = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    venue = Venue.objects.create(
        name="Kursgården Ekudden", street_address="Ekuddsvägen 1", town="Sigtuna"
    )
    intake = Intake(
        program=program,
        year=2030,
        interest_opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    intake.sessions = [
        Session(date=datetime.date(2030, 9, 10), venue=venue),
        Session(date=None),
        Session(date=datetime.date(2030, 2, 10), venue=venue, evening_activity=False),
    ]
    intake.save()
    data = detail(client, program)
    intakes = data["intakes"]
    assert [item["year"] for item in intakes] == [2024, 2025, 2030]
    item = intakes[-1]
    # Open by its dates, but the seed's form still collects for 2025: the
    # programme page says it opens when the form moves on, and so does the API.
    assert item["status"] == "planned"
    assert item["status_display"] == "Planerad"
    assert (item["start_date"], item["end_date"]) == ("2030-02-10", "2030-09-11")
    assert [s["date"] for s in item["sessions"]] == ["2030-02-10", "2030-09-10", None]
    first = item["sessions"][0]
    assert first["venue"] == {
        "id": venue.pk,
        "name": "Kursgården Ekudden",
        "street_address": "Ekuddsvägen 1",
        "town": "Sigtuna",
    }
    assert (first["start_time"], first["end_time"], first["end_date"]) == (
        "10:00:00",
        "13:00:00",
        "2030-02-11",
    )
    assert first["evening_activity"] is False
    assert item["sessions"][2]["venue"] is None


def test_the_read_api_takes_no_passwords(client, seed_pages, django_user_model):
    """HTTP Basic would be a second, unthrottled way to guess a password."""
    django_user_model.objects.create_user("chef", password="hemlig-123")
    for password in ("fel", "hemlig-123"):
        token = base64.b64encode(f"chef:{password}".encode()).decode()
        response = client.get("/api/v2/pages/", HTTP_AUTHORIZATION=f"Basic {token}")
        assert response.status_code == 200
    assert not AccessAttempt.objects.exists()
