"""The inbox exports hold every answer the person gave, as the detail view shows it.

After the inbox's own columns (reference, name, programmes, status, …) come
the answers: one column per form field, in form order, headed by its label,
each cell the text the detail view shows ("Ja" for a ticked box). A field a
communicator adds later gets a column too; answers to a field since removed
are kept in a column of their own.
"""

from django.urls import reverse

import pytest

from forms.models import (
    ContactSubmission,
    InterestFormField,
    InterestSubmission,
)
from tests.conftest import CONTACT_PATH, INTEREST_PATH
from tests.factories import contact_data, field_name, interest_data
from tests.forms.excel_csv import downloaded, excel_dicts
from tests.forms.test_inbox import (
    CONTACTS,
    INBOX,
    csv_rows,
    xlsx_download,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

COLLIDING = " (svar)"
REMOVED = "Svar på borttagna fält"


def csv_export(client, url=INBOX):
    return csv_rows(client.get(url, {"export": "csv"}))


def answer_headings(row, fields):
    """The labels heading the row's answer columns: the last ones, before the
    column of answers to removed fields.

    An answer whose label is already one of the inbox's own headings ("Namn")
    is headed "Namn (svar)"; that is the only change to a label.
    """
    headings = list(row)
    assert headings[-1] == REMOVED
    answers = headings[-1 - len(fields) : -1]
    return [heading.removesuffix(COLLIDING) for heading in answers]


def by_label(row, label):
    return row.get(label, row.get(f"{label}{COLLIDING}"))


def test_every_answer_is_in_the_csv_under_its_label_in_form_order(
    manager_client, post, programs, interest_page
):
    post(INTEREST_PATH, interest_data(programs, message="Ring mig\ngärna."))
    fields = list(interest_page.get_form_fields())

    (row,) = csv_export(manager_client)

    assert answer_headings(row, fields) == [field.label for field in fields]
    assert by_label(row, "Meddelande") == "Ring mig\ngärna."
    consent = next(field for field in fields if field.field_type == "checkbox")
    assert by_label(row, consent.label) == "Ja"
    choice = next(
        f for f in fields if f.clean_name == field_name(interest_page, "programs")
    )
    assert by_label(row, choice.label) == ", ".join(p.title for p in programs)


def test_the_export_says_what_the_detail_view_says(
    manager_client, post, programs, interest_page
):
    post(INTEREST_PATH, interest_data(programs, message="", tel=None))
    submission = InterestSubmission.objects.get()

    (row,) = csv_export(manager_client)
    html = manager_client.get(f"{INBOX}inspect/{submission.pk}/").content.decode()

    for label, text in submission.answers():
        assert by_label(row, label) == text
        assert label in html and text in html


def test_the_xlsx_export_has_the_same_answer_columns_as_the_csv(
    manager_client, post, programs, django_capture_on_commit_callbacks
):
    post(INTEREST_PATH, interest_data(programs, message="Hej från Malmö."))

    (from_csv,) = csv_export(manager_client)
    (from_xlsx,) = xlsx_rows(
        xlsx_download(manager_client, {}, django_capture_on_commit_callbacks)
    )

    assert list(from_xlsx) == list(from_csv)
    assert by_label(from_xlsx, "Meddelande") == "Hej från Malmö."
    assert {
        key: "" if value is None else str(value) for key, value in from_xlsx.items()
    } == from_csv


def test_a_field_added_later_gets_a_column_and_earlier_rows_leave_it_blank(
    manager_client, post, programs, interest_page
):
    post(INTEREST_PATH, interest_data(programs, name="Anna Före"))
    added = InterestFormField.objects.create(
        page=interest_page,
        label="Hur hörde du talas om programmet?",
        field_type="singleline",
        required=False,
        sort_order=100,
    )
    post(
        INTEREST_PATH,
        interest_data(
            programs,
            name="Bo Efter",
            email="bo@exempel.se",
            **{added.clean_name: "Av en kollega"},
        ),
    )

    rows = {row["Namn"]: row for row in csv_export(manager_client)}

    heading = "Hur hörde du talas om programmet?"
    assert rows["Bo Efter"][heading] == "Av en kollega"
    # Not asked is not the same as left empty ("–").
    assert rows["Anna Före"][heading] == ""


def test_answers_to_a_removed_field_stay_in_the_export(
    manager_client, post, programs, interest_page
):
    post(INTEREST_PATH, interest_data(programs))
    submission = InterestSubmission.objects.get()
    submission.form_data["kommunens_storlek"] = "Stor"
    submission.save(update_fields=["form_data"])

    (row,) = csv_export(manager_client)

    assert row[REMOVED] == "kommunens_storlek: Stor"


def test_the_contact_export_has_one_column_per_answer(
    manager_client, post, contact_page
):
    post(CONTACT_PATH, contact_data(message="En fråga om programmen."))
    fields = list(contact_page.get_form_fields())

    (row,) = csv_export(manager_client, CONTACTS)

    assert answer_headings(row, fields) == [field.label for field in fields]
    assert row["Meddelande"] == "En fråga om programmen."
    consent = next(field for field in fields if field.field_type == "checkbox")
    assert row[consent.label] == "Ja"
    assert ContactSubmission.objects.count() == 1


def test_wagtails_own_export_of_a_form_reads_the_answers_the_same_way(
    manager_client, post, programs, interest_page
):
    """/admin/forms/submissions/<id>/ exports too: "Ja", not "True"."""
    post(INTEREST_PATH, interest_data(programs))
    url = reverse("wagtailforms:list_submissions", args=[interest_page.pk])
    submission = InterestSubmission.objects.get()

    response = manager_client.get(url, {"export": "csv"})

    (row,) = excel_dicts(downloaded(response))
    for label, text in submission.answers():
        assert row[label] == text
    consent = next(
        field.label
        for field in interest_page.get_form_fields()
        if field.field_type == "checkbox"
    )
    assert row[consent] == "Ja"
