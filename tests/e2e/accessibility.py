"""What every browser journey checks on every page it meets, in one place.

- ``check_page(page, name)``: axe (WCAG 2.2 A and AA rules) at phone and laptop
  width, a full-page screenshot of each in ``tests/e2e/screenshots/`` (git ignores
  it; people look at them), and a failure listing every violation.
- ``page_overflow``, ``clipped_elements``, ``small_targets``, ``apply_text_spacing``:
  the measurements behind reflow (1.4.10), text spacing (1.4.12) and target size
  (2.5.8), for tests that check those on a page.

axe-core comes from the axe-playwright-python package (its bundled ``axe.min.js``),
injected into the page by Playwright: no request leaves the machine.
"""

import re
from pathlib import Path

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}
WIDTHS = (PHONE, LAPTOP)
SCREENSHOTS = Path(__file__).parent / "screenshots"


def axe():
    """axe-core, imported only by the browser tests: ``make test`` runs without
    the e2e requirements, and collecting this module must not need them."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(page) -> list[str]:
    """axe's WCAG 2.2 A/AA violations on the page as it is now, one line each."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    results = axe().run(page, options=options)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} – "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


def screenshot_name(name: str, width: int) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return SCREENSHOTS / f"{slug}-{width}.png"


def check_page(page, name: str) -> None:
    """axe at 375 and 1280 px, a screenshot of each; fails on any violation.

    The viewport is put back afterwards, so a journey goes on as it was.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    original = page.viewport_size
    found = []
    try:
        for size in WIDTHS:
            page.set_viewport_size(size)
            found += [f"{size['width']} px: {line}" for line in axe_violations(page)]
            page.screenshot(path=screenshot_name(name, size["width"]), full_page=True)
    finally:
        page.set_viewport_size(original)
    assert not found, f"axe found on '{name}' ({page.url}):\n" + "\n".join(found)


def page_overflow(page) -> int:
    """How many CSS px the page scrolls sideways (0 when it reflows)."""
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth - window.innerWidth"
    )


JS = Path(__file__).parent / "js"


def clipped_elements(page) -> list[str]:
    """Elements whose content is cut off or that stick out of the viewport."""
    return page.evaluate((JS / "clipped.js").read_text())


def apply_text_spacing(page) -> None:
    """WCAG 1.4.12's text-spacing override on every element of the page."""
    page.evaluate((JS / "text_spacing.js").read_text())


def small_targets(page) -> list[str]:
    """Pointer targets smaller than 24 x 24 CSS px (WCAG 2.5.8)."""
    return page.evaluate((JS / "small_targets.js").read_text())


def check_page_without_js(page, name: str) -> None:
    """``check_page`` for a page in a browser whose JavaScript is off.

    axe is JavaScript, and so is Playwright's ``evaluate``: neither runs in
    that page. So the page's HTML, as the server sent it this time, is shown
    in a page of its own where axe can run but the page's scripts cannot (a
    ``script-src 'none'`` policy), with ``<noscript>`` content shown as a browser
    without JavaScript shows it. Styles and images load from the site as usual.
    """
    url, html = page.url, page.content()
    html = html.replace("<noscript>", "").replace("</noscript>", "")
    context = page.context.browser.new_context(
        viewport=page.viewport_size, locale="sv-SE"
    )
    try:
        mirror = context.new_page()
        mirror.route(
            lambda address: address == url,
            lambda route: route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": "script-src 'none'"},
                body=html,
            ),
        )
        mirror.goto(url)
        check_page(mirror, name)
    finally:
        context.close()
