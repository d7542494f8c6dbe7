"""A politician on a phone reads a programme and registers interest with the
keyboard alone, with JavaScript and without.

Every page met passes axe (WCAG 2.2 A/AA) at 375 and 1280 px and leaves a
screenshot of each width in tests/e2e/screenshots/ (``check_page``).
"""

import re

import pytest

from forms.models import DeliveryState, InterestSubmission, Verification

from .accessibility import PHONE, check_page, check_page_without_js

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAMME = "/toppolitikerprogrammen/toppolitikerprogrammet/"
REFERENCE = re.compile(r"[2-9A-Z]{5}-[2-9A-Z]{5}")
MAX_TABS = 120


def tab_to(page, locator):
    """Press Tab until ``locator`` has focus, as a keyboard user moves on."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def read_programme_and_open_the_form(site, page, check, journey):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/")
    check(page, f"{journey}-1-start")

    cards = page.locator("#main")
    tab_to(page, cards.get_by_role("link", name="Toppolitikerprogrammet", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{PROGRAMME}")
    assert page.get_by_role("heading", name="Styrning och ledning").is_visible()
    check(page, f"{journey}-2-program")

    tab_to(page, page.get_by_role("link", name="Gör en intresseanmälan för 2025"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/intresseanmalan/")
    check(page, f"{journey}-3-formular")


def fill_in_by_keyboard(page):
    """Type the answers, choose a role and a programme, consent: Tab and Space."""
    for label, text in (
        ("Namn", "Anna Andersson"),
        ("E-postadress", "anna@exempel.se"),
        ("Kommun eller region", "Exempelkommun"),
    ):
        tab_to(page, page.get_by_label(label))
        page.keyboard.type(text)

    # A radio group is one tab stop; the arrow keys move the choice within it.
    tab_to(page, page.get_by_label("Kommunstyrelsens ordförande"))
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Oppositionsråd").is_checked()

    for label in ("Toppolitikerprogrammet – Fortsättning", "Jag samtycker"):
        tab_to(page, page.get_by_label(label, exact=label.startswith("Topp")))
        page.keyboard.press("Space")
    assert page.get_by_label("Jag samtycker", exact=False).is_checked()


def thank_you_reference(page):
    text = page.locator(".form-thanks").inner_text()
    match = REFERENCE.search(text)
    assert match, "the thank-you page gives a reference"
    return match.group(0), text


def test_politician_on_a_phone_registers_interest_by_keyboard_alone(
    site, page, mailoutbox
):
    read_programme_and_open_the_form(site, page, check_page, "politiker")
    fill_in_by_keyboard(page)

    tab_to(page, page.get_by_label("Jag är inte en robot"))
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('input[name=altcha]')?.value", timeout=60_000
    )
    tab_to(page, page.get_by_role("button", name="Skicka", exact=True))
    page.keyboard.press("Enter")

    page.wait_for_url("**/intresseanmalan/?tack=*")
    reference, text = thank_you_reference(page)
    assert "Vi skickar en bekräftelse med referensnumret" in text
    check_page(page, "politiker-4-tack")

    submission = InterestSubmission.objects.get()
    assert submission.reference == reference
    assert submission.verification == Verification.VERIFIED
    assert submission.role == "Oppositionsråd"
    receipt = next(m for m in mailoutbox if m.to == ["anna@exempel.se"])
    assert reference in receipt.body


def test_politician_without_javascript_sends_the_form_for_manual_review(
    site, no_js_page, mailoutbox
):
    page = no_js_page
    read_programme_and_open_the_form(
        site, page, check_page_without_js, "politiker-utan-js"
    )
    fill_in_by_keyboard(page)

    tab_to(page, page.get_by_role("button", name="Skicka", exact=True))
    page.keyboard.press("Enter")
    page.get_by_role("alert").wait_for()
    assert "Du behöver slutföra verifieringen" in page.get_by_role("alert").inner_text()
    assert InterestSubmission.objects.count() == 0
    check_page_without_js(page, "politiker-utan-js-4-verifieringsfel")

    tab_to(page, page.get_by_role("button", name="Skicka ändå för manuell granskning"))
    page.keyboard.press("Enter")

    page.wait_for_url("**/intresseanmalan/?tack=*")
    reference, text = thank_you_reference(page)
    assert "ingen bekräftelse via e-post" in text
    check_page_without_js(page, "politiker-utan-js-5-tack")

    submission = InterestSubmission.objects.get()
    assert submission.reference == reference
    assert submission.verification == Verification.UNVERIFIED
    assert submission.receipt_state == DeliveryState.SKIPPED
    assert [m for m in mailoutbox if "anna@exempel.se" in m.to] == []
