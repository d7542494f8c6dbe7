"""What a client sends by mistake or on purpose gets a 4xx problem, never a 500."""

from django.test import Client

import pytest

from .v3 import V3, token_client

pytestmark = pytest.mark.django_db

BEYOND_BIGINT = "9223372036854775808"
PROBLEM = "application/problem+json"


def refused(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"{V3}/pages/?offset={BEYOND_BIGINT}",
        f"{V3}/pages/?limit=1&offset=9223372036854775807",
        f"{V3}/images/?offset={BEYOND_BIGINT}",
        f"{V3}/documents/?offset={BEYOND_BIGINT}",
        f"{V3}/redirects/?offset={BEYOND_BIGINT}",
        f"{V3}/sites/?offset={BEYOND_BIGINT}",
        f"{V3}/snippets/programs.Venue/?offset={BEYOND_BIGINT}",
        f"{V3}/pages/?limit={BEYOND_BIGINT}",
    ],
)
def test_an_offset_beyond_any_listing_is_invalid_in_v3(seed_pages, editor, url):
    # Some listings are for token holders only: ask as one, so the bound is reached.
    problem = refused(token_client(editor).get(url), 422)
    assert problem["type"] == "/api/v3/problems/validation-error"
    assert problem["errors"][0]["loc"][-1] in ("offset", "limit")
    assert problem["errors"][0]["msg"].startswith("Värdet får vara högst")


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_an_offset_beyond_any_listing_is_a_bad_request_in_v2(client, endpoint):
    problem = refused(client.get(f"/api/v2/{endpoint}/?offset={BEYOND_BIGINT}"), 400)
    assert problem["title"] == "Ogiltig begäran"
    # v2's own field, kept for the clients that read it.
    assert "offset" in problem["message"]


@pytest.mark.parametrize(
    "site", ["example.org:x", "localhost:99999", "localhost:", "a:1:2", "host:٣"]
)
def test_a_site_filter_with_a_wrong_port_is_a_bad_request(client, seed_pages, site):
    for url in (f"{V3}/pages/find/", f"{V3}/pages/"):
        problem = refused(client.get(url, {"site": site, "html_path": "/"}), 400)
        assert "site" in problem["detail"]


def test_a_site_filter_with_a_port_still_finds_the_page(client, seed_pages):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    response = client.get(
        f"{V3}/pages/find/",
        {"site": f"{site.hostname}:{site.port}", "html_path": "/kontakt/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"{V3}/pages/{seed_pages['/kontakt/'].pk}/")


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("copy", {}),
        ("create_alias", {}),
        ("move", {"destination_id": 1}),
        ("move", {"destination_id": 1, "position": "left"}),
    ],
)
def test_impossible_places_in_the_tree_are_refused(
    seed_pages, admin_user, editor, action, body
):
    """Beside the root, or a copy of the root: no such place exists."""
    pages = {"/": seed_pages["/"].pk, "root": 1}
    for user in (admin_user, editor):
        client = token_client(user)
        for page_id in pages.values():
            response = client.post(
                f"{V3}/pages/{page_id}/actions/{action}/",
                body,
                content_type="application/json",
            )
            assert 400 <= response.status_code < 500, (user, page_id, response.content)
            assert response["Content-Type"] == PROBLEM


def test_moving_under_the_root_as_a_child_is_still_possible_for_a_superuser(
    seed_pages, admin_user
):
    from wagtail.models import Page

    home = seed_pages["/"]
    response = token_client(admin_user).post(
        f"{V3}/pages/{home.pk}/actions/move/",
        {"destination_id": 1, "position": "last-child"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Page.objects.get(pk=home.pk).get_parent().pk == 1


def test_the_root_page_refuses_in_swedish(seed_pages, admin_user):
    client = token_client(admin_user)
    copy = client.post(
        f"{V3}/pages/1/actions/copy/", {}, content_type="application/json"
    )
    beside = client.post(
        f"{V3}/pages/{seed_pages['/'].pk}/actions/move/",
        {"destination_id": 1},
        content_type="application/json",
    )
    assert "Rotsidan" in refused(copy, 422)["errors"][0]["msg"]
    assert "bredvid rotsidan" in refused(beside, 422)["errors"][0]["msg"]


def test_an_unknown_api_address_is_a_v3_problem(client):
    problem = refused(client.get(f"{V3}/pages/{'9' * 25}/"), 404)
    assert problem["type"] == "/api/v3/problems/not-found"


def test_a_server_error_in_an_api_is_a_problem_not_a_web_page(
    client, seed_pages, monkeypatch
):
    from wagtail.api.v3.routers import pages

    def broken(*args, **kwargs):
        raise RuntimeError("simulated")

    monkeypatch.setattr(pages, "get_pages_queryset", broken)
    client.raise_request_exception = False

    problem = refused(client.get(f"{V3}/pages/{seed_pages['/'].pk}/"), 500)

    assert problem["type"] == "/api/v3/problems/server-error"
    assert "simulated" not in str(problem)


def test_an_anonymous_write_is_asked_for_a_token(seed_pages):
    response = Client().delete(f"{V3}/pages/{seed_pages['/kontakt/'].pk}/")
    assert refused(response, 401)["type"] == "/api/v3/problems/unauthorized"
