"""The error page, the sitemap and robots.txt."""

from xml.etree import ElementTree

from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_unknown_url_answers_404_in_swedish(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "sv"
    assert soup.h1.get_text(strip=True) == "Sidan hittades inte"
    assert soup.find("a", href="/") is not None


def test_server_error_page_renders_without_a_request_or_database():
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("500.html")
    assert len(queries) == 0
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "sv"
    assert soup.h1.get_text(strip=True) == "Ett fel har uppstått"
    assert soup.find("link", rel="stylesheet")["href"] == "/static/css/site.css"


def test_sitemap_lists_every_seed_page(client, seed_pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {
        loc.text
        for loc in ElementTree.fromstring(response.content).findall(
            "sm:url/sm:loc", SITEMAP_NS
        )
    }
    paths = {location.removeprefix("http://testserver") for location in locations}
    assert set(seed_pages) <= paths


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_form_post_too_large_to_read_answers_400_in_swedish(client, seed_pages):
    """Django refuses the body before any view runs; the page still explains."""
    response = client.post("/kontakt/", {"meddelande": "x" * 2000})
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "sv"
    assert soup.h1.get_text(strip=True) == "Begäran kunde inte tas emot"
    assert "för lång" in soup.main.get_text()


def test_a_form_post_from_another_site_answers_403_in_swedish(seed_pages):
    """Django's own CSRF page says lang="en" around Swedish text, without the site.
    A public form takes no CSRF token (forms/csrf.py), but a post to it from
    another origin is refused with the same page."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/kontakt/", {"namn": "Anna"}, HTTP_ORIGIN="https://annan-sajt.example"
    )
    assert response.status_code == 403
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "sv"
    assert soup.title.get_text() == (
        "Formuläret kunde inte tas emot – Toppolitikerprogrammen"
    )
    assert soup.find("a", href="/") is not None


def test_permission_denied_page_is_in_swedish():
    soup = BeautifulSoup(render_to_string("403.html"), "html.parser")
    assert soup.html["lang"] == "sv"
    assert soup.h1.get_text(strip=True) == "Du har inte behörighet"
