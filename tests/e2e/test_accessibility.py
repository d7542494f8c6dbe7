"""WCAG 2.2 AA in a real browser: every public page and every state of the forms.

axe (WCAG 2.2 A and AA rules) at 375 and 1280 px with screenshots
(``check_page``); reflow at 320 px and the text-spacing override with no
sideways scroll and nothing cut off; targets of at least 24 px; and the
verification widget's focus, description and announcements.
"""

import pytest

from tests.factories import set_interest_window

from .accessibility import (
    apply_text_spacing,
    check_page,
    clipped_elements,
    page_overflow,
    small_targets,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM = "/toppolitikerprogrammen/intresseanmalan/"
PUBLIC_PAGES = {
    "start": "/",
    "oversikt": "/toppolitikerprogrammen/",
    "program": "/toppolitikerprogrammen/toppolitikerprogrammet/",
    "fortsattning": "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/",
    "tema": "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/",
    "intresseanmalan": FORM,
    "kontakt": "/kontakt/",
    "personuppgifter": "/personuppgifter/",
    "tillganglighet": "/tillganglighet/",
    "sidan-finns-inte": "/finns-inte/",
}
NARROW = {"width": 320, "height": 640}


def test_every_public_page_passes_axe_at_phone_and_laptop_width(site, page):
    for name, path in PUBLIC_PAGES.items():
        page.goto(f"{site}{path}")
        check_page(page, name)


def test_every_public_page_reflows_at_320_px_even_with_wider_text_spacing(site, page):
    page.set_viewport_size(NARROW)
    problems = {}
    for name, path in PUBLIC_PAGES.items():
        page.goto(f"{site}{path}")
        found = [f"scrolls {page_overflow(page)} px"] if page_overflow(page) else []
        found += clipped_elements(page)
        apply_text_spacing(page)
        if page_overflow(page):
            found.append(f"with text spacing scrolls {page_overflow(page)} px")
        found += [f"with text spacing: {what}" for what in clipped_elements(page)]
        if found:
            problems[name] = found
    assert problems == {}


def test_the_sessions_table_scrolls_in_its_own_named_region_not_the_page(site, page):
    """The one allowed exception (1.4.10, data tables): the table's wrapper
    scrolls, is focusable and named; the page itself does not scroll."""
    page.set_viewport_size(NARROW)
    page.goto(f"{site}{PUBLIC_PAGES['program']}")
    wrapper = page.locator(".table-wrapper").first

    assert page_overflow(page) == 0
    assert wrapper.get_attribute("tabindex") == "0"
    assert wrapper.get_attribute("role") == "region"
    assert wrapper.get_attribute("aria-labelledby") or wrapper.get_attribute(
        "aria-label"
    )


def test_every_pointer_target_is_at_least_24_px(site, page):
    problems = {}
    for width in (NARROW, {"width": 1280, "height": 800}):
        page.set_viewport_size(width)
        for name, path in PUBLIC_PAGES.items():
            page.goto(f"{site}{path}")
            if path == FORM:
                page.locator("altcha-widget input[type=checkbox]").wait_for()
            if found := small_targets(page):
                problems[f"{name} at {width['width']} px"] = found
    assert problems == {}


def send_unverified(site, page):
    """Fill in the form but leave the verification, and send it."""
    page.goto(f"{site}{FORM}")
    page.get_by_label("Namn").fill("Anna Andersson")
    page.get_by_label("E-postadress").fill("anna@exempel.se")
    page.get_by_label("Kommun eller region").fill("Exempelkommun")
    page.get_by_label("Oppositionsråd").check()
    page.get_by_label("Toppolitikerprogrammet", exact=True).check()
    page.get_by_label("Jag samtycker", exact=False).check()
    page.get_by_role("button", name="Skicka", exact=True).click()
    page.get_by_role("alert").wait_for()


def test_every_state_of_the_form_passes_axe(site, page):
    page.goto(f"{site}{FORM}")
    page.locator("altcha-widget input[type=checkbox]").wait_for()
    check_page(page, "formular-tomt")

    page.get_by_role("button", name="Skicka", exact=True).click()
    page.get_by_role("alert").wait_for()
    check_page(page, "formular-fel")

    send_unverified(site, page)
    check_page(page, "formular-verifieringsfel")

    page.get_by_role("button", name="Skicka ändå för manuell granskning").click()
    page.get_by_text("ingen bekräftelse via e-post").wait_for()
    check_page(page, "formular-tack-ej-verifierad")

    set_interest_window(2025, opens=-10, closes=-1 / 1440)
    page.goto(f"{site}{FORM}")
    check_page(page, "formular-stangt")


def test_the_verification_error_leads_to_the_widgets_checkbox(site, page):
    send_unverified(site, page)
    checkbox = page.locator("altcha-widget input[type=checkbox]")

    # The error is the checkbox's description, not the custom element's.
    described = checkbox.get_attribute("aria-describedby").split()
    assert "id_altcha_error" in described
    assert "id_altcha_helptext" in described
    assert checkbox.get_attribute("aria-invalid") == "true"
    assert page.locator("altcha-widget").get_attribute("aria-describedby") is None

    page.get_by_role("alert").get_by_role("link", name="Verifiering").click()
    assert page.evaluate("document.activeElement.id") == "altcha-checkbox-id_altcha"


def test_the_widgets_progress_is_announced_in_a_live_region(site, page):
    page.goto(f"{site}{FORM}")
    checkbox = page.get_by_label("Jag är inte en robot")
    status = page.locator("#id_altcha_status")
    assert status.get_attribute("role") == "status"

    checkbox.focus()
    page.keyboard.press("Space")

    page.wait_for_function(
        "() => document.getElementById('id_altcha_status').textContent"
        " === 'Verifierad.'",
        timeout=60_000,
    )
