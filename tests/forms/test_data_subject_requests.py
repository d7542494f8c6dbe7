"""Data-subject requests beyond the address: name and phone, the day's XLSX
exports, and correction (GDPR Art. 16) with an entry in the log."""

import json

from wagtail.models import ModelLogEntry

import pytest

from forms.correction import CORRECT_ACTION
from forms.data_subject import normalised_phone, phone_spellings
from forms.models import InterestSubmission, SpreadsheetExport
from tests.factories import field_name, make_registration

URL = "/admin/registrerades-begaran/"
INBOX = "/admin/intresseanmalningar/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
BASIC = "/toppolitikerprogrammen/toppolitikerprogrammet/"


@pytest.fixture
def people(seed_pages):
    form, basic = seed_pages[INTEREST_FORM], seed_pages[BASIC]
    return {
        "anna": make_registration(
            form,
            "Anna Andersson",
            [basic],
            email="anna@kommun.se",
            phone="+46701234567",
        ),
        "bo": make_registration(
            form, "Bo Berg", [basic], email="bo@kommun.se", phone="08-123 456 78"
        ),
    }


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("070-123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
        ("(08) 123 456 78", "+46812345678"),
        ("ingen", ""),
    ],
)
def test_a_phone_number_is_normalised_however_it_is_written(typed, number):
    assert normalised_phone(typed) == number


def test_a_swedish_number_is_looked_for_in_its_three_spellings():
    assert set(phone_spellings("070-123 45 67")) == {
        "+46701234567",
        "0046701234567",
        "0701234567",
    }


def found_references(response):
    findings = response.context["findings"]
    return {row.reference for rows in findings.submissions.values() for row in rows}


def test_a_phone_number_written_locally_finds_the_international_one(
    manager_client, people
):
    response = manager_client.post(URL, {"phone": "070-123 45 67", "action": "search"})
    assert found_references(response) == {people["anna"].reference}


def test_a_stored_local_number_is_found_from_the_international_form(
    manager_client, people
):
    response = manager_client.post(
        URL, {"phone": "+46 8 123 456 78", "action": "search"}
    )
    assert found_references(response) == {people["bo"].reference}


def test_a_name_finds_the_persons_submissions_in_any_case(manager_client, people):
    response = manager_client.post(
        URL, {"name": " anna andersson ", "action": "search"}
    )
    assert found_references(response) == {people["anna"].reference}


def test_a_search_without_any_term_is_refused_in_swedish(manager_client):
    response = manager_client.post(URL, {"action": "search"})
    assert "Skriv en e-postadress, ett namn eller ett telefonnummer." in (
        response.content.decode()
    )


@pytest.fixture
def kept_export(manager_client, people, django_capture_on_commit_callbacks):
    """The whole list exported as XLSX a while ago: Anna's row is in the file."""
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.get(INBOX, {"export": "xlsx"})
    export = SpreadsheetExport.objects.get()
    assert export.state == SpreadsheetExport.State.READY
    return export


def test_an_export_for_the_person_includes_their_rows_of_the_kept_xlsx(
    manager_client, people, kept_export
):
    searched = manager_client.post(URL, {"email": "anna@kommun.se", "action": "search"})
    assert searched.context["findings"].counts()["exports"] == 1
    assert "Sparade Excel-exporter" in searched.content.decode()

    response = manager_client.post(URL, {"email": "anna@kommun.se", "action": "export"})
    document = json.loads(response.content)
    (kept,) = document["Sparade exporter"]
    (row,) = kept["Rader"]
    assert row["Referens"] == people["anna"].reference
    assert "Bo Berg" not in json.dumps(document)


def test_erasure_deletes_the_kept_exports_that_hold_the_person(
    manager_client, people, kept_export
):
    storage, name = kept_export.file.storage, kept_export.file.name
    assert storage.exists(name)
    manager_client.post(
        URL, {"phone": "0701234567", "action": "erase", "confirm": "on"}
    )
    assert not InterestSubmission.objects.filter(pk=people["anna"].pk).exists()
    assert InterestSubmission.objects.filter(pk=people["bo"].pk).exists()
    assert not storage.exists(name)
    assert not SpreadsheetExport.objects.exists()


def test_an_export_without_the_person_is_left_alone(
    manager_client, people, seed_pages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.get(INBOX, {"export": "xlsx", "q": "Bo Berg"})
    manager_client.post(
        URL, {"email": "anna@kommun.se", "action": "erase", "confirm": "on"}
    )
    assert SpreadsheetExport.objects.count() == 1


# Correction (Art. 16)


def correct_url(submission):
    return f"{INBOX}correct/{submission.pk}/"


def test_a_correction_changes_the_answer_and_its_column_and_is_logged(
    manager_client, manager, people
):
    anna = people["anna"]
    form = manager_client.get(correct_url(anna))
    assert form.status_code == 200
    name_field = field_name(anna.page.specific, "name")
    data = {name: field.initial for name, field in form.context["form"].fields.items()}
    data[name_field] = "Anna Lind"

    response = manager_client.post(correct_url(anna), data)

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.name == "Anna Lind"
    assert anna.form_data[name_field] == "Anna Lind"
    entry = ModelLogEntry.objects.get(action=CORRECT_ACTION)
    assert entry.user == manager
    assert entry.object_id == str(anna.pk)
    # Which field, not what it said before or after.
    assert "Anna" not in json.dumps(entry.data)
    assert (
        INBOX + f"correct/{anna.pk}/"
        in manager_client.get(f"{INBOX}inspect/{anna.pk}/").content.decode()
    )


def test_a_correction_with_a_bad_address_keeps_everything(manager_client, people):
    anna = people["anna"]
    form = manager_client.get(correct_url(anna)).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    email_field = field_name(anna.page.specific, "email")
    data[email_field] = "inte en adress"
    response = manager_client.post(correct_url(anna), data)
    assert response.status_code == 400
    assert "Skriv en hel e-postadress." in response.content.decode()
    anna.refresh_from_db()
    assert anna.email == "anna@kommun.se"
    assert not ModelLogEntry.objects.filter(action=CORRECT_ACTION).exists()


def test_an_editor_may_not_correct(editor_client, people):
    anna = people["anna"]
    assert editor_client.get(correct_url(anna)).status_code == 403
    assert editor_client.post(correct_url(anna), {}).status_code == 403
