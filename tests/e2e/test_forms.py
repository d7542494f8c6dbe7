"""A politician registers interest in a real browser, verification included."""

import pytest

from forms.models import InterestSubmission
from tests.factories import MANAGERS, make_member

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM = "/toppolitikerprogrammen/intresseanmalan/"


def fill_and_send_interest_form(site, page):
    page.goto(f"{site}{FORM}")
    page.get_by_label("Namn").fill("Anna Andersson")
    page.get_by_label("E-postadress").fill("anna@exempel.se")
    page.get_by_label("Kommun eller region").fill("Exempelkommun")
    page.get_by_label("Oppositionsråd").check()
    page.get_by_label("Toppolitikerprogrammet – Fortsättning").check()
    page.get_by_label("Jag samtycker", exact=False).check()

    # The widget's checkbox, by keyboard as many people use it.
    page.get_by_label("Jag är inte en robot").focus()
    page.keyboard.press("Space")
    # A function, not an expression: Playwright would eval() an expression, and
    # the page's Content-Security-Policy forbids eval.
    page.wait_for_function(
        "() => document.querySelector('input[name=altcha]')?.value", timeout=60_000
    )
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_selector("text=Tack för din intresseanmälan")


def test_interest_form_is_filled_verified_and_submitted(site, page):
    fill_and_send_interest_form(site, page)

    submission = InterestSubmission.objects.get()
    assert submission.role == "Oppositionsråd"
    assert [p.title for p in submission.programs.all()] == [
        "Toppolitikerprogrammet – Fortsättning"
    ]


def test_programme_manager_finds_the_registration_in_the_inbox(
    site, page, django_user_model
):
    fill_and_send_interest_form(site, page)
    make_member(django_user_model, "lena", MANAGERS, password="hemligt-123")

    page.goto(f"{site}/admin/login/")
    page.get_by_label("Användarnamn").fill("lena")
    page.locator("#id_password").fill("hemligt-123")  # Wagtail leaves it untranslated
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{site}/admin/intresseanmalningar/")

    row = page.get_by_role("row", name="Anna Andersson")
    # The programme by its short name, its full title on the abbreviation.
    continuation = row.locator("abbr")
    assert (
        continuation.get_attribute("title") == "Toppolitikerprogrammet – Fortsättning"
    )
    assert "2025" in row.inner_text()


def test_sending_without_verification_shows_the_error_summary(site, page):
    page.goto(f"{site}{FORM}")
    page.get_by_label("Namn").fill("Anna Andersson")
    page.get_by_role("button", name="Skicka").click()

    summary = page.get_by_role("alert")
    assert "Formuläret kunde inte skickas" in summary.inner_text()
    # Focus lands on the summary, so a screen reader reads it on arrival.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link", name="Verifiering", exact=False).click()
    assert page.get_by_label("Namn").input_value() == "Anna Andersson"
    assert InterestSubmission.objects.count() == 0
