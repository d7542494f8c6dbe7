"""Submitting the public forms: verification, honeypot, open window, rate limit,
malformed input. Every refusal stores nothing and answers in Swedish."""

import json

import pytest
from bs4 import BeautifulSoup

from forms.models import ContactFormField, ContactSubmission, InterestSubmission
from forms.submitting import parse_rate
from tests.conftest import CONTACT_PATH, INTEREST_PATH
from tests.factories import (
    contact_data,
    field_name,
    interest_data,
    set_interest_window,
)
from tests.verification import forged_payload, solved_payload

from .conftest import thanked

pytestmark = pytest.mark.django_db


def test_solved_challenge_stores_exactly_one_submission_with_programmes_and_year(
    client, post, interest_page, programs
):
    response = post(INTEREST_PATH, interest_data(programs))

    html, reference = thanked(client, response)
    assert interest_page.thank_you_text in html
    submission = InterestSubmission.objects.get()
    assert submission.reference == reference
    assert submission.page_id == interest_page.pk
    assert submission.intake_year == 2025
    assert set(submission.programs.all()) == set(programs)
    assert submission.name == "Anna Andersson"
    assert submission.email == "anna@exempel.se"
    assert submission.phone == "070-123 45 67"
    assert submission.organisation == "Exempelkommun"
    assert submission.role == "Kommunstyrelsens ordförande"
    assert submission.status == InterestSubmission.Status.NEW


def test_form_data_is_plain_json_with_programmes_by_title(
    post, programs, interest_page
):
    post(INTEREST_PATH, interest_data(programs))

    form_data = InterestSubmission.objects.get().form_data
    assert json.loads(json.dumps(form_data)) == form_data
    choice = field_name(interest_page, "programs")
    assert form_data[choice] == [program.title for program in programs]
    assert "altcha" not in form_data
    assert "website" not in form_data


def test_contact_form_stores_its_submission(client, post, contact_page):
    response = post(CONTACT_PATH, contact_data())

    html, _reference = thanked(client, response)
    assert contact_page.thank_you_text in html
    submission = ContactSubmission.objects.get()
    assert (submission.name, submission.email) == ("Bo Berg", "bo@exempel.se")


def test_challenge_from_the_endpoint_can_be_solved_and_submitted(
    client, post, programs
):
    payload = solved_payload(client)

    post(INTEREST_PATH, interest_data(programs, altcha=payload))

    assert InterestSubmission.objects.count() == 1


def assert_refused_with(response, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert message in html
    assert InterestSubmission.objects.count() == 0


def test_missing_verification_stores_nothing(post, programs):
    data = interest_data(programs)
    del data["altcha"]

    assert_refused_with(post(INTEREST_PATH, data), "Du behöver slutföra verifieringen")


def test_wrong_solution_stores_nothing(post, programs):
    wrong = forged_payload(solved_payload())

    assert_refused_with(
        post(INTEREST_PATH, interest_data(programs, altcha=wrong)),
        "Verifieringen godkändes inte",
    )


def test_challenge_signed_with_another_secret_stores_nothing(post, programs):
    payload = solved_payload(hmac_secret="someone-elses-secret")

    assert_refused_with(
        post(INTEREST_PATH, interest_data(programs, altcha=payload)),
        "Verifieringen godkändes inte",
    )


def test_garbage_instead_of_a_payload_stores_nothing(post, programs):
    assert_refused_with(
        post(INTEREST_PATH, interest_data(programs, altcha="inte base64 %%%")),
        "Verifieringen kunde inte läsas",
    )


def test_expired_challenge_stores_nothing(post, programs):
    payload = solved_payload(expired=True)

    assert_refused_with(
        post(INTEREST_PATH, interest_data(programs, altcha=payload)),
        "Verifieringen hann gå ut",
    )


def test_replayed_solution_stores_nothing_the_second_time(post, programs):
    payload = solved_payload()
    post(INTEREST_PATH, interest_data(programs, altcha=payload))
    assert InterestSubmission.objects.count() == 1

    response = post(INTEREST_PATH, interest_data(programs, altcha=payload))

    assert "Verifieringen har redan använts" in response.content.decode()
    assert InterestSubmission.objects.count() == 1


def test_filled_honeypot_stores_nothing_but_looks_like_success(
    client, post, interest_page, programs, mailoutbox
):
    response = post(INTEREST_PATH, interest_data(programs, website="http://spam"))

    html, _reference = thanked(client, response)
    assert interest_page.thank_you_text in html
    assert InterestSubmission.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("value", ["0", "false", " "])
def test_any_value_in_the_honeypot_is_caught(post, programs, value):
    response = post(INTEREST_PATH, interest_data(programs, website=value))

    assert response.status_code == 303
    assert InterestSubmission.objects.count() == 0


def test_a_reload_of_the_thank_you_page_sends_nothing_again(client, post, programs):
    response = post(INTEREST_PATH, interest_data(programs))
    thank_you_url = response["Location"]

    for _ in range(3):
        assert client.get(thank_you_url).status_code == 200

    assert InterestSubmission.objects.count() == 1


def test_a_forged_thank_you_link_shows_the_form(client, interest_page):
    html = client.get(INTEREST_PATH, {"tack": "ABCDE-FGHJK"}).content.decode()

    assert "<form" in html
    assert "ABCDE-FGHJK" not in html


@pytest.mark.parametrize(
    ("window", "status", "message"),
    [
        ({"opens": 1}, 403, "Intresseanmälan för 2025 har inte öppnat ännu."),
        (
            {"opens": -10, "closes": -1 / 1440},
            410,
            "Intresseanmälan för 2025 är stängd.",
        ),
    ],
    ids=["before_opening", "after_closing"],
)
def test_form_outside_its_window_is_not_shown_and_stores_nothing(
    client, post, interest_page, programs, window, status, message
):
    set_interest_window(interest_page.intake_year, **window)

    page = client.get(INTEREST_PATH)
    assert page.status_code == 200
    assert message in page.content.decode()
    # No interest form: only "Meddela mig när anmälan öppnar" (forms.opening).
    forms = BeautifulSoup(page.content, "html.parser").find_all("form")
    assert [form["action"] for form in forms] == ["/anmalan-oppnar/"]

    response = post(INTEREST_PATH, interest_data(programs))
    assert response.status_code == status
    assert message in response.content.decode()
    assert InterestSubmission.objects.count() == 0


def test_eleventh_submission_in_a_minute_is_refused(post, settings, programs):
    settings.FORM_RATE_LIMIT = "10/m"
    for _ in range(10):
        assert post(INTEREST_PATH, interest_data(programs)).status_code == 303

    response = post(INTEREST_PATH, interest_data(programs))

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    html = response.content.decode()
    assert "Du har skickat många formulär på kort tid" in html
    assert 'value="Anna Andersson"' in html, "what was typed is kept"
    assert InterestSubmission.objects.count() == 10


def test_rate_limit_counts_each_client_separately(post, settings, programs):
    settings.FORM_RATE_LIMIT = "1/m"
    post(INTEREST_PATH, interest_data(programs), REMOTE_ADDR="192.0.2.1")

    response = post(INTEREST_PATH, interest_data(programs), REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 303
    assert InterestSubmission.objects.count() == 2


def test_forwarded_for_header_does_not_escape_the_limit(post, settings, programs):
    settings.FORM_RATE_LIMIT = "1/m"
    post(INTEREST_PATH, interest_data(programs), HTTP_X_FORWARDED_FOR="198.51.100.1")

    response = post(
        INTEREST_PATH, interest_data(programs), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )

    assert response.status_code == 429


def test_rate_limit_zero_turns_it_off(post, settings, programs):
    settings.FORM_RATE_LIMIT = "0"
    for _ in range(12):
        post(INTEREST_PATH, interest_data(programs))

    assert InterestSubmission.objects.count() == 12


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("10/m", (10, 60)), ("5/s", (5, 1)), ("100/h", (100, 3600)), ("0", None)],
)
def test_rate_setting_is_read_as_count_per_period(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "A" * 10_000}, "name", "som mest 255 tecken"),
        ({"message": "B" * 4001}, "message", "som mest 4000 tecken"),
        ({"tel": "0" * 41}, "tel", "som mest 40 tecken"),
        ({"email": "inte-en-adress"}, "email", "giltig"),
        ({"email": "a" * 250 + "@exempel.se"}, "email", "tecken"),
        ({"programs": ["999999"]}, "programs", "Välj bland"),
        ({"programs": ["inte-ett-id"]}, "programs", "Välj bland"),
        ({"programs": ["1"] * 500}, "programs", "Välj"),
        ({"name": "Anna\x00Andersson"}, "name", "Null"),
        ({"role": "Kung"}, "role", "Välj ett giltigt alternativ"),
        ({"role": "\x00"}, "role", "Välj ett giltigt alternativ"),
    ],
    ids=[
        "long_name",
        "long_message",
        "long_phone",
        "invalid_email",
        "long_email",
        "unknown_programme",
        "non_numeric_programme",
        "too_many_programmes",
        "nul_in_name",
        "unknown_role",
        "nul_in_role",
    ],
)
def test_too_long_or_malformed_input_gives_a_form_error_not_a_crash(
    post, programs, interest_page, overrides, field, message
):
    """``field`` is what the field asks for; the form names it."""
    response = post(INTEREST_PATH, interest_data(programs, **overrides))
    field = field_name(interest_page, field)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{field}' in html
    assert message.lower() in html.lower()
    assert InterestSubmission.objects.count() == 0


def test_missing_required_fields_are_listed_in_swedish(post):
    response = post(INTEREST_PATH, {"altcha": solved_payload()})

    html = response.content.decode()
    assert "Det här fältet är obligatoriskt" in html
    assert InterestSubmission.objects.count() == 0


def test_contact_form_ignores_purposes_it_has_no_column_for(post, contact_page):
    ContactFormField.objects.create(
        page=contact_page,
        label="Titel",
        field_type="singleline",
        autocomplete="organization-title",
        required=False,
        sort_order=10,
    )

    post(CONTACT_PATH, contact_data(titel="Ordförande"))

    assert ContactSubmission.objects.get().form_data["titel"] == "Ordförande"


def test_editors_length_limit_on_a_field_is_honoured(post, contact_page):
    contact_page.form_fields.filter(field_type="multiline").update(max_length=10)

    response = post(CONTACT_PATH, contact_data(message="x" * 11))

    assert "som mest 10 tecken" in response.content.decode()
    assert ContactSubmission.objects.count() == 0


def test_the_challenge_endpoint_is_rate_limited_with_the_forms(client, settings):
    settings.FORM_RATE_LIMIT = "1/m"
    statuses = [client.get("/altcha/challenge/").status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]


def test_no_form_rate_limit_means_no_challenge_limit_either(client, settings):
    settings.FORM_RATE_LIMIT = "0"
    statuses = {client.get("/altcha/challenge/").status_code for _ in range(20)}
    assert statuses == {200}


def test_a_text_field_declared_as_e_mail_must_hold_an_address(post, contact_page):
    contact_page.form_fields.filter(autocomplete="email").update(
        field_type="singleline"
    )

    response = post(CONTACT_PATH, contact_data(email="inte en adress\nBcc: x"))

    assert "Ange en giltig e-postadress." in response.content.decode()
    assert ContactSubmission.objects.count() == 0


@pytest.mark.parametrize(
    "phone", ["070-123 45 67", "+46 (0)8 452 70 00", "08/452 70 00"]
)
def test_ordinary_phone_numbers_are_accepted(post, programs, phone):
    post(INTEREST_PATH, interest_data(programs, tel=phone))
    assert InterestSubmission.objects.get().phone == phone


@pytest.mark.parametrize("phone", ["abc", "ring mig", "12"])
def test_a_phone_number_without_digits_is_refused(post, programs, phone):
    response = post(INTEREST_PATH, interest_data(programs, tel=phone))
    assert "Ange ett telefonnummer med siffror" in response.content.decode()
    assert InterestSubmission.objects.count() == 0


def test_error_messages_are_sentences_that_name_the_field_as_its_label_does(
    post, programs
):
    """A full stop, and "e-postadress" as in the label, not "mejladress"."""
    response = post(INTEREST_PATH, interest_data(programs, name="", email="fel"))

    html = response.content.decode()
    assert "Det här fältet är obligatoriskt.</" in html
    assert "Ange en giltig e-postadress." in html
    assert "mejladress" not in html


def test_the_thank_you_page_and_the_receipt_give_the_same_reference(
    client, post, programs, mailoutbox
):
    html, reference = thanked(client, post(INTEREST_PATH, interest_data(programs)))

    assert "Vi skickar en bekräftelse med referensnumret till e-postadressen" in html
    receipt = next(m for m in mailoutbox if m.to == ["anna@exempel.se"])
    assert reference in receipt.body


def test_a_form_without_an_e_mail_field_promises_no_receipt(
    client, post, contact_page, mailoutbox
):
    contact_page.form_fields.filter(autocomplete="email").delete()

    html, _reference = thanked(client, post(CONTACT_PATH, contact_data()))

    assert "Vi skickar en bekräftelse" not in html
    assert mailoutbox == []
