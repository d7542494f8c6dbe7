"""Every page names its canonical address and says what a shared link shows."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import INTEREST_PATH

PAGES = [
    "/",
    "/toppolitikerprogrammen/",
    "/toppolitikerprogrammen/toppolitikerprogrammet/",
    "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/",
    INTEREST_PATH,
    "/kontakt/",
    "/tillganglighet/",
]


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").head


def og(head, name):
    tag = head.find("meta", property=f"og:{name}")
    return tag["content"] if tag else None


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_canonical_link_and_open_graph(client, seed_pages, path):
    head = head_of(client, path)

    canonical = head.find("link", rel="canonical")["href"]
    assert canonical == f"http://testserver{path}"
    assert og(head, "url") == canonical
    page = seed_pages[path]
    assert og(head, "title") == (page.seo_title or page.title)
    assert og(head, "site_name") == "Toppolitikerprogrammen"
    assert og(head, "locale") == "sv_SE"


def test_a_thank_you_link_points_back_at_the_form_page(client, seed_pages):
    head = head_of(client, f"{INTEREST_PATH}?tack=x")

    assert head.find("link", rel="canonical")["href"].endswith(INTEREST_PATH)
