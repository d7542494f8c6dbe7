"""Issue 17 in a browser: the start page's cards and headings at 320, 375 and
1280 px, the thank-you page's focus, and the self-service page of a receipt."""

from pathlib import Path

import pytest

from forms.models import InterestSubmission
from forms.self_service import token_for
from tests.factories import interest_data, make_registration, set_interest_window

from .accessibility import axe_violations, check_page, page_overflow

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots/i17b")
FORM = "/toppolitikerprogrammen/intresseanmalan/"
LONGEST = "Toppolitikerprogrammet – Fortsättning"

# Every text node's words, and whether one of them is drawn on two lines: a
# range over each word whose client rects sit on more than one line.
SPLIT_WORDS = """
(selector) => {
  const split = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g;
      let match;
      while ((match = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}
"""


# Headings whose text runs out of their own box (a word too long to wrap).
OVERFLOWING = """
(selector) => [...document.querySelectorAll(selector)]
  .filter((element) => element.scrollWidth > element.clientWidth + 1)
  .map((element) => element.textContent.trim())
"""


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_start_page_has_no_hole_no_split_word_and_no_sideways_scroll(
    site, page, width
):
    set_interest_window(2025, opens=-1, closes=30)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}/")

    assert page_overflow(page) == 0
    assert page.evaluate(SPLIT_WORDS, "h1, h2, h3, .site-name") == []
    assert page.evaluate(OVERFLOWING, "h1, h2, h3, .site-name") == []
    cards = page.locator(".card-list--pairs > .card")
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    grid = page.locator(".card-list--pairs").bounding_box()
    # No hole: every row of cards is as wide as the grid.
    rows = {}
    for box in boxes:
        rows.setdefault(round(box["y"]), []).append(box)
    for row in rows.values():
        right = max(box["x"] + box["width"] for box in row)
        left = min(box["x"] for box in row)
        assert abs(left - grid["x"]) < 2 and abs(right - grid["x"] - grid["width"]) < 2
    statuses = page.locator(".card__status").all_inner_texts()
    assert statuses == ["Intresseanmälan för 2025 är öppen"] * 2
    shoot(page, f"start-{width}")


def test_the_longest_programme_title_stays_whole_at_320(site, page):
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{site}/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/")

    assert page.locator("h1").inner_text() == LONGEST
    assert page_overflow(page) == 0
    assert page.evaluate(SPLIT_WORDS, "h1, h2, h3") == []
    assert page.evaluate(OVERFLOWING, "h1, h2, h3") == []
    shoot(page, "fortsattning-320")


def test_the_start_page_passes_axe_and_landmark_unique(site, page):
    set_interest_window(2025, opens=-1, closes=30)
    page.goto(f"{site}/")
    check_page(page, "start i17b")


def test_the_programme_pages_landmarks_are_unique(site, page):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{site}/toppolitikerprogrammen/toppolitikerprogrammet/")
    results = Axe().run(
        page, options={"runOnly": {"type": "rule", "values": ["landmark-unique"]}}
    )
    assert results.response["violations"] == []


def test_the_thank_you_page_puts_focus_on_its_heading(site, page):
    """With the page's script and without it (a policy that runs no script of
    the page's, while Playwright still can look): the heading's autofocus
    does it alone."""
    from django.test import Client

    set_interest_window(2025, opens=-1, closes=30)
    response = Client().post(FORM, interest_data(list(_programs())))
    assert response.status_code == 303, response.status_code
    thanks = f"{site}{response['Location']}"

    page.goto(thanks)
    assert page.evaluate("document.activeElement.id") == "thanks-heading"
    assert axe_violations(page) == []
    shoot(page, "thanks")

    def without_scripts(route):
        served = route.fetch()
        headers = {**served.headers, "content-security-policy": "script-src 'none'"}
        route.fulfill(response=served, headers=headers)

    page.route(thanks, without_scripts)
    page.goto(thanks)
    # The browser runs autofocus at its next rendering step, after the load.
    page.wait_for_function("document.activeElement.id === 'thanks-heading'")


def _programs():
    from programs.models import ProgramPage

    return ProgramPage.objects.live().order_by("path")[:1]


def test_the_self_service_page_passes_axe_and_withdraws(site, page):
    from forms.models import InterestFormPage

    form = InterestFormPage.objects.get()
    registration = make_registration(form, "Anna Andersson", list(_programs()))
    page.goto(f"{site}/min-anmalan/{token_for(registration)}/")

    assert page.locator("h1").inner_text() == "Din intresseanmälan"
    check_page(page, "min anmalan")
    shoot(page, "self-service")
    page.get_by_label("Namn").fill("Anna Ek")
    page.get_by_role("button", name="Spara ändringarna").click()
    assert page.get_by_role("status").inner_text() == "Dina ändringar är sparade."
    registration.refresh_from_db()
    assert registration.name == "Anna Ek"

    page.get_by_label("Ja, ta bort min intresseanmälan").check()
    page.get_by_role("button", name="Återkalla intresseanmälan").click()
    assert page.locator("h1").inner_text() == "Din intresseanmälan är återkallad"
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert not InterestSubmission.objects.filter(pk=registration.pk).exists()
    shoot(page, "self-service-withdrawn")
