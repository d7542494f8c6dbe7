"""A politician registers interest in a real browser, verification included."""

import pytest

from forms.models import InterestSubmission

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM = "/toppolitikerprogrammen/intresseanmalan/"


def test_interest_form_is_filled_verified_and_submitted(site, page):
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
    page.wait_for_function(
        "document.querySelector('input[name=altcha]')?.value", timeout=60_000
    )
    page.get_by_role("button", name="Skicka").click()

    page.wait_for_selector("text=Tack för din intresseanmälan")
    submission = InterestSubmission.objects.get()
    assert submission.role == "Oppositionsråd"
    assert [p.title for p in submission.programs.all()] == [
        "Toppolitikerprogrammet – Fortsättning"
    ]


def test_sending_without_verification_shows_the_error_summary(site, page):
    page.goto(f"{site}{FORM}")
    page.get_by_label("Namn").fill("Anna Andersson")
    page.get_by_role("button", name="Skicka").click()

    summary = page.get_by_role("alert")
    assert "Formuläret kunde inte skickas" in summary.inner_text()
    summary.get_by_role("link", name="Verifiering", exact=False).click()
    assert page.get_by_label("Namn").input_value() == "Anna Andersson"
    assert InterestSubmission.objects.count() == 0
