"""A front-end caches v3 like v2: public reads kept and revalidated, token reads
never."""

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from .v3 import V3, token_client

pytestmark = pytest.mark.django_db

PROGRAMME = "/toppolitikerprogrammen/toppolitikerprogrammet/"


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def read(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("api", ["v2", "v3"])
def test_an_anonymous_read_is_public_with_an_etag_and_revalidates(
    client, seed_pages, settings, api
):
    settings.API_CACHE_MAX_AGE = 45
    url = f"/api/{api}/pages/{seed_pages[PROGRAMME].pk}/"

    response = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=45" in response["Cache-Control"]
    assert response["ETag"]
    assert again.status_code == 304
    assert again.content == b""
    assert "accept-language" not in vary(response)


def test_v3_reads_come_from_the_page_cache_like_v2(client, seed_pages, page_cache_on):
    url = f"{V3}/pages/{seed_pages[PROGRAMME].pk}/"

    first, first_queries = read(client, url)
    second, second_queries = read(client, url)
    revalidated, revalidated_queries = read(
        client, url, HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert first_queries > 0
    assert second_queries == revalidated_queries == 0
    assert second.content == first.content
    assert revalidated.status_code == 304


def test_a_token_read_is_private_and_never_kept(seed_pages, editor, page_cache_on):
    url = f"{V3}/pages/{seed_pages[PROGRAMME].pk}/"
    Client().get(url)  # an anonymous read is kept
    holder = token_client(editor)

    response, queries = read(holder, url)

    assert queries > 0, "a token read must not be answered from the public cache"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    # A shared cache must tell the two apart.
    assert "authorization" in vary(response)
    assert "authorization" in vary(Client().get(url))


def test_a_draft_read_with_a_token_is_never_served_to_the_public(
    seed_pages, editor, page_cache_on
):
    programme = seed_pages[PROGRAMME]
    programme.title = "Utkastets rubrik"
    programme.save_revision()
    url = f"{V3}/pages/{programme.pk}/?version=draft"

    draft = token_client(editor).get(url)
    anonymous = Client().get(url)

    assert draft.json()["title"] == "Utkastets rubrik"
    assert anonymous.status_code == 401
    assert "Utkastets rubrik" not in anonymous.content.decode()


def test_a_revalidation_that_misses_is_rendered_kept_and_then_answered(
    client, seed_pages, page_cache_on
):
    """A CDN revalidating after the cache was emptied gets its 304, and the
    page it made the server render is kept for the next reader."""
    url = f"{V3}/pages/{seed_pages[PROGRAMME].pk}/"
    etag = client.get(url)["ETag"]
    cache.clear()

    revalidated, revalidated_queries = read(client, url, HTTP_IF_NONE_MATCH=etag)
    after, after_queries = read(client, url)

    assert revalidated.status_code == 304
    assert revalidated_queries > 0
    assert after.status_code == 200
    assert after_queries == 0, "the revalidation's rendering was not kept"


def test_a_stale_etag_on_a_miss_gets_the_page(client, seed_pages, page_cache_on):
    url = f"{V3}/pages/{seed_pages[PROGRAMME].pk}/"

    response = client.get(url, HTTP_IF_NONE_MATCH='"not-the-current-one"')

    assert response.status_code == 200
    assert response.json()["title"] == "Toppolitikerprogrammet"


def test_a_cross_origin_front_end_may_revalidate(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://front.example.se"]

    preflight = client.options(
        f"{V3}/pages/",
        HTTP_ORIGIN="https://front.example.se",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match, authorization",
    )

    allowed = preflight["Access-Control-Allow-Headers"].lower()
    assert "if-none-match" in allowed
    assert "authorization" in allowed
