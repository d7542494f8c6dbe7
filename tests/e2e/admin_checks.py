"""What every admin journey checks on each page it meets: axe (WCAG 2.2 A and
AA) and screenshots at 375 and 1280 px; and, for the inboxes, that no cell or
button is clipped and no word is broken across lines.

A minimal helper of issue 10's admin side (10a); the public side's shared
helpers may replace ``look_at`` when they land.
"""

from pathlib import Path

SCREENSHOTS = Path(__file__).parent / "screenshots"
WIDTHS = (375, 1280)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "hemligt-123"

# Violations in markup that Wagtail itself renders, which this project cannot
# change without forking Wagtail: (axe rule, CSS target) pairs, each with why.
# (Draftail's unnamed editing area was one; programs/wagtail_hooks.py names it.)
WAGTAIL_OWN = set()


def wagtails_own(violation):
    targets = {node["target"][-1] for node in violation["nodes"]}
    return all((violation["id"], target) in WAGTAIL_OWN for target in targets)


def log_in(page, site, username):
    """Log in on a laptop-sized window, where the admin's menu is open."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.locator("#id_password").fill(PASSWORD)  # Wagtail leaves it untranslated
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{site}/admin/")


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    return Axe().run(page, options=options).response["violations"]


def describe(violations):
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:5])
        for v in violations
    ]


RUNNING_ANIMATIONS = (
    "() => document.getAnimations().filter((a) => a.playState === 'running').length"
)


def settle(page, polls=40):
    """Wait for transitions to end (a message fading in has, for a moment, too
    little contrast), at most two seconds."""
    for _ in range(polls):
        if not page.evaluate(RUNNING_ANIMATIONS):
            return
        page.wait_for_timeout(50)


def look_at(page, name):
    """Screenshots of the page at each width, and axe at each: no violation."""
    SCREENSHOTS.mkdir(exist_ok=True)
    size = page.viewport_size
    found = {}
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            settle(page)
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            violations = [v for v in axe_violations(page) if not wagtails_own(v)]
            if violations:
                found[width] = describe(violations)
    finally:
        page.set_viewport_size(size)
    assert not found, f"axe on {name}: {found}"


# Every cell, header and button of the list: its text must fit its box, and a
# word (text between spaces in one text node) must sit on one line.
FIND_BROKEN_TEXT = """
(selector) => {
  const problems = [];
  const boxes = document.querySelectorAll(selector);
  // Text meant for screen readers only is clipped on purpose.
  const shown = (node) =>
    node.data.trim() && !node.parentElement.closest(".w-sr-only, [hidden]");
  for (const box of boxes) {
    const texts = [];
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (shown(node)) texts.push(node);
    }
    if (!texts.length) continue;
    if (box.scrollWidth > box.clientWidth + 1) {
      problems.push(`clipped: ${box.tagName} "${box.innerText.trim()}"`);
    }
    for (const node of texts) {
      const re = /\\S+/g;
      let match;
      while ((match = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) problems.push(`broken word: "${match[0]}"`);
      }
    }
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  }
  return problems;
}
"""

LIST_BOXES = (
    "main .inbox-scroll, main table th, main table td, main .button, main button, "
    "main summary"
)


def broken_text(page, selector=LIST_BOXES):
    return page.evaluate(FIND_BROKEN_TEXT, selector)
