"""Structural accessibility checks (WCAG 2.1 AA) run on every seeded page.

They cover what markup alone can show: language, one h1, heading order,
landmarks, the skip link, image alternatives and that nothing loads from
another host. Colour contrast and focus styles are checked in the stylesheet.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

SEED_URLS = [
    "/",
    "/toppolitikerprogrammen/",
    "/toppolitikerprogrammen/toppolitikerprogrammet/",
    "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/",
    *(
        f"/toppolitikerprogrammen/{program}/{theme}/"
        for program in ("toppolitikerprogrammet", "toppolitikerprogrammet-fortsattning")
        for theme in (
            "styrning-och-ledning",
            "samspel-och-kommunikation",
            "det-politiska-ledarskapet",
            "demokrati-och-omvarlden",
        )
    ),
    "/toppolitikerprogrammen/intresseanmalan/",
    "/kontakt/",
    "/personuppgifter/",
    "/tillganglighet/",
]
# Attributes through which a browser fetches something on its own.
LOADING_ATTRIBUTES = ("src", "srcset", "data", "poster", "action", "formaction")


@pytest.fixture(params=SEED_URLS)
def soup(request, client, seed_pages):
    if request.param not in seed_pages:
        pytest.skip(f"{request.param} is not in the seed yet")
    response = client.get(request.param)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def is_third_party(url):
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https") or url.strip().startswith("//"):
        return parts.hostname not in ("testserver", "localhost")
    return False


def test_the_checks_cover_every_page_the_seed_creates(seed_pages):
    assert set(seed_pages) <= set(SEED_URLS)
    assert len(seed_pages) >= 12


def test_page_is_in_swedish(soup):
    assert soup.html["lang"] == "sv"


def test_page_has_exactly_one_h1(soup):
    assert len(soup.find_all("h1")) == 1
    assert soup.h1.get_text(strip=True)


def test_page_skips_no_heading_level(soup):
    levels = [int(tag.name[1]) for tag in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels


def test_page_has_header_nav_main_and_footer_landmarks(soup):
    for landmark in ("header", "nav", "main", "footer"):
        assert soup.find(landmark) is not None, landmark
    assert len(soup.find_all("main")) == 1


def test_every_nav_has_an_accessible_name(soup):
    for nav in soup.find_all("nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby")


def test_skip_link_is_first_and_targets_main(soup):
    first_link = soup.body.find("a")
    assert first_link.get_text(strip=True) == "Hoppa till huvudinnehållet"
    assert first_link["href"] == "#main"
    target = soup.find(id="main")
    assert target is not None and target.name == "main"


def test_ids_are_unique_and_labelledby_points_at_them(soup):
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for tag in soup.find_all(attrs={"aria-labelledby": True}):
        assert soup.find(id=tag["aria-labelledby"]) is not None


def test_every_image_has_an_alt_attribute(soup):
    for img in soup.find_all("img"):
        assert img.has_attr("alt"), img


def test_page_has_a_title_naming_the_site(soup):
    assert soup.title.get_text().endswith("– Toppolitikerprogrammen")


def test_every_seed_page_has_a_title_of_its_own(client, seed_pages):
    """Both programmes have a 'Styrning och ledning': the title must say whose."""
    titles = {}
    for url in SEED_URLS:
        if url in seed_pages:
            page = BeautifulSoup(client.get(url).content, "html.parser")
            titles[url] = page.title.get_text()
    duplicates = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    assert not duplicates
    assert titles[
        "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/styrning-och-ledning/"
    ] == (
        "Styrning och ledning (Toppolitikerprogrammet – Fortsättning)"
        " – Toppolitikerprogrammen"
    )


def test_every_page_links_to_the_accessibility_statement_from_its_footer(soup):
    """The statement (and the privacy notice) must be easy to find from anywhere."""
    links = {a["href"]: a.get_text(strip=True) for a in soup.select("footer a")}
    assert links.get("/tillganglighet/") == "Tillgänglighetsredogörelse"
    assert links.get("/personuppgifter/") == "Så behandlar vi dina personuppgifter"


def test_nothing_is_loaded_from_another_host(soup):
    for tag in soup.find_all(True):
        for attribute in LOADING_ATTRIBUTES:
            if tag.has_attr(attribute):
                assert not is_third_party(tag[attribute]), tag
        if tag.name == "link":
            assert not is_third_party(tag.get("href", "")), tag
        if tag.name == "style" or tag.has_attr("style"):
            css = tag.string or "" if tag.name == "style" else tag["style"]
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), tag


def test_the_admin_loads_nothing_from_another_host(client, admin_user):
    """Wagtail's default avatars come from gravatar.com, keyed by the user's e-mail."""
    client.force_login(admin_user)
    admin = BeautifulSoup(client.get("/admin/").content, "html.parser")
    for tag in admin.find_all("img"):
        assert not is_third_party(tag.get("src", "")), tag


def test_third_party_check_recognises_foreign_hosts():
    """Guards the check above against passing because it recognises nothing."""
    assert is_third_party("https://fonts.googleapis.com/css")
    assert is_third_party("//cdn.example.com/x.js")
    assert not is_third_party("/static/css/site.css")
    assert not is_third_party("http://testserver/static/css/site.css")


def relative_luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture(scope="module")
def stylesheet():
    return (settings.BASE_DIR / "static" / "css" / "site.css").read_text()


@pytest.fixture(scope="module")
def palette(stylesheet):
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", stylesheet))


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("text", "#ffffff"),
        ("muted", "#ffffff"),
        ("link", "#ffffff"),
        ("link-hover", "#ffffff"),
        ("error", "#ffffff"),
        ("text", "surface"),
        ("muted", "surface"),
        ("link", "surface"),
        ("#ffffff", "brand"),
        ("#ffffff", "link"),
    ],
)
def test_text_colours_have_at_least_4_5_to_1_contrast(palette, foreground, background):
    def colour(name):
        return name if name.startswith("#") else palette[name]

    assert contrast(colour(foreground), colour(background)) >= 4.5


def test_contrast_helper_knows_black_on_white_and_grey_on_grey():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#888888") < 1.5


def test_stylesheet_gives_focus_a_visible_outline(stylesheet):
    rule = re.search(r":focus-visible\s*{([^}]*)}", stylesheet)
    assert rule is not None
    assert re.search(r"outline:\s*3px solid", rule[1])


def test_stylesheet_loads_no_fonts_or_files_from_elsewhere(stylesheet):
    assert "@import" not in stylesheet
    assert "@font-face" not in stylesheet
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", stylesheet)
