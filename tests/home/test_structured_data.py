"""schema.org JSON-LD: a BreadcrumbList on every page, a Course on programmes."""

import datetime
import json

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from programs.models import Intake, Session, Venue

pytestmark = pytest.mark.django_db

PROGRAM_URL = "/toppolitikerprogrammen/toppolitikerprogrammet/"


def json_ld(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    blocks = [
        json.loads(script.string)
        for script in soup.find_all("script", type="application/ld+json")
    ]
    return {block["@type"]: block for block in blocks}


def test_every_page_has_a_breadcrumb_list_of_its_ancestors(client):
    for page in Page.objects.live().public().filter(depth__gte=2).specific():
        url = page.url
        data = json_ld(client, url)["BreadcrumbList"]
        assert data["@context"] == "https://schema.org"
        items = data["itemListElement"]
        assert [item["position"] for item in items] == list(range(1, page.depth)), url
        assert items[-1]["name"] == page.title
        assert items[-1]["item"] == page.full_url
        assert items[0]["item"] == "http://testserver/"


def test_programme_page_is_a_course_by_skr_with_an_instance_per_intake(
    client, seed_pages
):
    program = seed_pages[PROGRAM_URL]
    venue = Venue.objects.create(
        name="Kursgården Ekudden", street_address="Ekuddsvägen 1", town="Sigtuna"
    )
    intake = Intake(program=program, year=2030)
    intake.sessions = [
        Session(date=datetime.date(2030, month, 10), venue=venue)
        for month in (2, 4, 6, 9)
    ]
    intake.save()

    course = json_ld(client, PROGRAM_URL)["Course"]
    assert course["@context"] == "https://schema.org"
    assert course["name"] == "Toppolitikerprogrammet"
    assert course["description"] == program.lead
    assert course["inLanguage"] == "sv"
    assert course["url"] == program.full_url
    assert course["provider"]["@type"] == "Organization"
    assert course["provider"]["alternateName"] == "SKR"
    instances = {item["name"]: item for item in course["hasCourseInstance"]}
    assert set(instances) == {
        "Toppolitikerprogrammet 2024",
        "Toppolitikerprogrammet 2025",
        "Toppolitikerprogrammet 2030",
    }
    dated = instances["Toppolitikerprogrammet 2030"]
    assert dated["@type"] == "CourseInstance"
    assert dated["inLanguage"] == "sv"
    assert (dated["startDate"], dated["endDate"]) == ("2030-02-10", "2030-09-11")
    assert dated["courseSchedule"]["repeatCount"] == 4
    assert dated["courseSchedule"]["scheduleTimezone"] == "Europe/Stockholm"
    assert dated["location"] == {
        "@type": "Place",
        "name": "Kursgården Ekudden",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "SE",
            "streetAddress": "Ekuddsvägen 1",
            "addressLocality": "Sigtuna",
        },
    }
    # The seed's 2025 intake: four sessions, not yet dated, at the seed's venue.
    seeded = instances["Toppolitikerprogrammet 2025"]
    assert "startDate" not in seeded
    assert seeded["courseSchedule"]["repeatCount"] == 4
    assert seeded["location"]["name"] == "Kursgård i Stockholmsområdet"


def test_only_programme_pages_are_courses(client):
    assert "Course" not in json_ld(client, "/toppolitikerprogrammen/")
    assert "Course" not in json_ld(client, f"{PROGRAM_URL}styrning-och-ledning/")


def test_json_ld_cannot_end_its_script_element(client, seed_pages):
    program = seed_pages[PROGRAM_URL]
    program.title = "</script><script>alert(1)</script>"
    program.save_revision().publish()
    response = client.get(PROGRAM_URL)
    assert b"</script><script>alert(1)" not in response.content
    data = json_ld(client, PROGRAM_URL)
    assert data["Course"]["name"] == "</script><script>alert(1)</script>"
