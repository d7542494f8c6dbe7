"""Anonymous readers get cached pages; any content change shows at once."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from programs.models import ContactPerson, ProgramPage, Session

PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_anonymous_visit_is_served_without_queries(client, seed_pages):
    first, first_queries = queries_for(client, PROGRAM)
    second, second_queries = queries_for(client, PROGRAM)
    assert first_queries > 5
    assert second_queries == 0
    assert second.content == first.content


def test_publishing_an_edit_shows_at_once(client, seed_pages):
    queries_for(client, PROGRAM)
    program = ProgramPage.objects.get(slug="toppolitikerprogrammet")
    program.lead = "En helt ny ingress."
    program.save_revision().publish()

    response, _ = queries_for(client, PROGRAM)
    assert "En helt ny ingress." in response.content.decode()


def test_editing_a_snippet_shows_at_once_on_every_page(client, seed_pages):
    queries_for(client, PROGRAM)
    ContactPerson.objects.filter(name="Lena Lindgren").update(
        job_title="x"
    )  # no signal
    lena = ContactPerson.objects.get(name="Lena Lindgren")
    lena.job_title = "Programchef"
    lena.save()

    response, _ = queries_for(client, PROGRAM)
    assert "Programchef" in response.content.decode()


def test_editing_an_intakes_sessions_shows_at_once_on_the_page_and_calendar(
    client, seed_pages
):
    feed = f"{PROGRAM}kalender.ics"
    queries_for(client, PROGRAM)
    queries_for(client, feed)
    session = Session.objects.filter(
        intake__program__slug="toppolitikerprogrammet", intake__year=2025
    ).first()
    session.date = datetime.date(2030, 3, 12)
    session.save()

    response, _ = queries_for(client, PROGRAM)
    assert "12–13 mars 2030" in response.content.decode()
    response, _ = queries_for(client, feed)
    assert b"DTSTART;TZID=Europe/Stockholm:20300312T100000" in response.content


def test_signed_in_editors_always_get_a_fresh_page(
    client, seed_pages, django_user_model
):
    queries_for(client, PROGRAM)
    client.force_login(django_user_model.objects.create_superuser("ed", "e@x.se", "x"))
    _, queries = queries_for(client, PROGRAM)
    assert queries > 0


def test_the_empty_form_page_is_served_from_the_cache(client, seed_pages):
    """It carries no CSRF token and no challenge: one copy serves everyone."""
    url = "/toppolitikerprogrammen/intresseanmalan/"
    first, _ = queries_for(client, url)
    second, queries = queries_for(client, url)
    assert queries == 0
    assert second.content == first.content
    assert 'name="csrfmiddlewaretoken"' not in first.content.decode()
    assert not first.cookies


def test_a_form_answered_with_errors_is_never_cached(client, seed_pages):
    url = "/toppolitikerprogrammen/intresseanmalan/"
    answered = client.post(url, {"namn": "Anna Andersson"})
    assert "Anna Andersson" in answered.content.decode()
    assert "no-store" in answered["Cache-Control"]
    _, queries = queries_for(client, url)
    assert queries > 0  # the post did not fill the cache


def test_a_query_string_bypasses_the_cache(client, seed_pages):
    queries_for(client, PROGRAM + "?a=1")
    _, queries = queries_for(client, PROGRAM + "?a=1")
    assert queries > 0
