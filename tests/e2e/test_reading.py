"""A politician reads about the programmes on a phone, with keyboard and mouse."""

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_programme_page_reads_in_order_from_the_overview(site, page):
    page.goto(f"{site}/toppolitikerprogrammen/")
    assert (
        page.locator("h1").inner_text()
        == "Om Toppolitikerprogrammen för politiska ledare"
    )
    page.get_by_role("link", name="Toppolitikerprogrammet – Fortsättning").first.click()
    page.wait_for_url("**/toppolitikerprogrammet-fortsattning/")
    themes = page.locator("h3").all_inner_texts()
    assert themes[:4] == [
        "Styrning och ledning",
        "Samspel och kommunikation",
        "Det politiska ledarskapet",
        "Demokrati och omvärlden",
    ]
    assert page.get_by_text("drygt 7 månader").first.is_visible()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(site, page):
    page.goto(f"{site}/toppolitikerprogrammen/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till huvudinnehållet"
    assert (
        page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
