"""Every part of the site sends a Content-Security-Policy and a Permissions-Policy."""

import re

from django.contrib.staticfiles import finders

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from tests.conftest import INTEREST_PATH

pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_no_other_origin(directives):
    sources = [source for values in directives.values() for source in values]
    assert not [s for s in sources if "://" in s or s.startswith(("http", "*"))]


def public_paths():
    return [
        page.url_path.removeprefix("/home")
        for page in Page.objects.live().filter(depth__gte=2)
    ]


def test_public_pages_run_only_the_sites_own_scripts(client):
    for path in public_paths():
        directives = policy(client.get(path))

        assert directives["script-src"] == ["'self'"], path
        assert directives["default-src"] == ["'self'"], path
        assert directives["object-src"] == ["'none'"], path
        assert directives["base-uri"] == ["'self'"], path
        assert directives["form-action"] == ["'self'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert_no_other_origin(directives)


def test_public_pages_have_no_inline_script_or_style(client):
    """The policy would block them: a page that needed one would break."""
    for path in public_paths():
        soup = BeautifulSoup(client.get(path).content, "html.parser")

        # JSON-LD is a data block, never run, so the policy does not apply to it.
        inline = [s for s in soup.find_all("script") if not s.get("src")]
        assert [s for s in inline if s.get("type") != "application/ld+json"] == [], path
        assert soup.find_all("style") == [], path
        assert soup.find_all(style=True) == [], path
        handlers = [
            attribute
            for tag in soup.find_all(True)
            for attribute in tag.attrs
            if attribute.startswith("on")
        ]
        assert handlers == [], path


def test_form_page_links_the_widgets_stylesheet_and_needs_no_nonce(client):
    """The widget injects its stylesheet only when no element has the id
    ``altcha-css``; the page links it as a file, so no nonce (which would make
    every copy of the page unique) and no inline style is needed."""
    response = client.get(INTEREST_PATH)

    soup = BeautifulSoup(response.content, "html.parser")
    stylesheet = soup.find(id="altcha-css")
    assert stylesheet.name == "link"
    assert stylesheet["href"].endswith("/altcha/altcha.css")
    assert finders.find("altcha/altcha.css")
    assert soup.find("meta", attrs={"name": "csp-nonce"}) is None
    directives = policy(response)
    assert directives["style-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    # The widget's worker is a static file, not a blob: URL.
    assert directives["worker-src"] == ["'self'"]


def test_pages_without_the_widget_allow_no_inline_style_at_all(client):
    assert policy(client.get("/"))["style-src"] == ["'self'"]


def test_a_page_served_from_the_page_cache_keeps_its_policy(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.get("/toppolitikerprogrammen/")

    cached = client.get("/toppolitikerprogrammen/")

    assert policy(cached)["script-src"] == ["'self'"]
    assert "camera=()" in cached["Permissions-Policy"]


@pytest.fixture
def api_paths(interest_page):
    return [
        "/api/v2/pages/",
        f"/api/v2/pages/{interest_page.pk}/",
        f"/api/forms/{interest_page.pk}",
        "/api/forms/openapi.json",
        "/altcha/challenge/",
    ]


def test_json_endpoints_allow_nothing_to_load_or_frame_them(client, api_paths):
    for path in api_paths:
        response = client.get(path)

        assert response.status_code == 200, path
        assert policy(response) == {
            "default-src": ["'none'"],
            "frame-ancestors": ["'none'"],
        }, path


def test_a_refused_api_submission_carries_the_strict_policy(client, interest_page):
    response = client.post(
        f"/api/forms/{interest_page.pk}/submissions",
        "{}",
        content_type="application/json",
    )

    assert response.status_code == 400
    assert policy(response)["default-src"] == ["'none'"]


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/pages/", "/admin/intresseanmalningar/"]
)
def test_admin_sends_its_own_policy_with_no_other_origin(admin_client, path):
    response = admin_client.get(path)

    directives = policy(response)
    assert response.status_code == 200
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    # The page editor frames its own preview; nobody else may frame the admin.
    assert directives["frame-ancestors"] == ["'self'"]
    assert_no_other_origin(directives)


def test_admin_login_page_has_the_admin_policy(client):
    assert policy(client.get("/admin/login/"))["frame-ancestors"] == ["'self'"]


def test_admin_page_editor_works_under_its_policy(admin_client, interest_page):
    response = admin_client.get(f"/admin/pages/{interest_page.pk}/edit/")

    assert response.status_code == 200
    assert "'unsafe-inline'" in policy(response)["script-src"]


@pytest.mark.parametrize(
    "path",
    ["/", INTEREST_PATH, "/admin/login/", "/api/v2/pages/", "/sitemap.xml", "/nej/"],
)
def test_every_part_of_the_site_refuses_camera_microphone_and_location(client, path):
    header = client.get(path)["Permissions-Policy"]

    features = dict(re.findall(r"([a-z-]+)=\(([^)]*)\)", header))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "", (path, feature)
