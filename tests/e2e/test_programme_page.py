"""A politician on a phone sees when, where and how to apply on the first screen.

The programme page at 375 px (an iPhone SE's 375 by 667) and at 1280 px: the
button to the interest form lies inside the first viewport, axe finds nothing
(also with the earlier intakes opened), and screenshots of each width are kept
for people to look at.
"""

import pytest

from .accessibility import SCREENSHOTS, axe_violations, page_overflow

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAMMES = {
    "program": "/toppolitikerprogrammen/toppolitikerprogrammet/",
    "fortsattning": "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/",
}
VIEWPORTS = {
    320: {"width": 320, "height": 640},
    375: {"width": 375, "height": 667},
    1280: {"width": 1280, "height": 800},
}


def call_to_action(page):
    return page.locator("section.programme-summary a.button-link")


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", PROGRAMMES)
def test_the_way_to_apply_is_on_the_first_screen(site, page, name, width):
    viewport = VIEWPORTS[width]
    page.set_viewport_size(viewport)
    page.goto(f"{site}{PROGRAMMES[name]}")
    button = call_to_action(page)
    assert button.inner_text().strip().startswith("Gör en intresseanmälan för")
    box = button.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= viewport["height"], (
        f"the button ends at {box['y'] + box['height']:.0f} px, "
        f"below the first {viewport['height']} px"
    )
    # Nothing scrolls sideways, and the summary's questions read as such.
    assert page_overflow(page) == 0
    terms = page.locator("section.programme-summary dt").all_inner_texts()
    assert terms[:3] == [
        "När",
        "Sista dag för intresseanmälan",
        "Så anmäler du intresse",
    ]


@pytest.mark.parametrize("name", PROGRAMMES)
def test_the_programme_page_passes_axe_with_earlier_intakes_closed_and_open(
    site, page, name
):
    SCREENSHOTS.mkdir(exist_ok=True)
    found = []
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(f"{site}{PROGRAMMES[name]}")
        found += [f"{width} px: {line}" for line in axe_violations(page)]
        page.screenshot(path=SCREENSHOTS / f"programmesida-{name}-{width}.png")
        page.screenshot(
            path=SCREENSHOTS / f"programmesida-{name}-{width}-hela.png", full_page=True
        )
        earlier = page.locator("details.earlier-intakes")
        assert earlier.get_attribute("open") is None, "earlier intakes start closed"
        assert not page.get_by_text("2024: Pågår").is_visible()
        # A keyboard opens it: the summary is a control of its own.
        earlier.locator("summary").focus()
        page.keyboard.press("Enter")
        assert page.get_by_text("2024: Pågår").is_visible()
        found += [f"{width} px, opened: {line}" for line in axe_violations(page)]
    assert not found, "axe found:\n" + "\n".join(found)
