"""The registrations' CSV export costs the same queries at 3 rows as at 30,
whatever the rows carry: programmes, a duplicate, an admission, a note, a
registration typed in by hand."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from forms.admissions import decide
from forms.models import AdmissionStatus, Note, Source
from programs.models import Intake
from tests.factories import make_registration
from tests.forms.excel_csv import downloaded, excel_dicts

INBOX = "/admin/intresseanmalningar/"


def add_registrations(page, programs, manager, first, last):
    intake = Intake.objects.get(program=programs[0], year=2025)
    for number in range(first, last):
        # Every third shares the address of the one before: a duplicate.
        email = f"person{number - (number % 3 == 2)}@kommun.se"
        chosen = programs[: 1 + number % 2]
        source = Source.PHONE if number % 4 == 0 else Source.WEB
        registration = make_registration(
            page, f"Person{number} X", chosen, email=email, source=source
        )
        if number % 5 == 0:
            decide(registration, intake, AdmissionStatus.ACCEPTED, manager)
        if number % 5 == 1:
            decide(registration, intake, AdmissionStatus.RESERVE, manager)
        if number % 3 == 0:
            Note.objects.create(submission=registration, author=manager, text="Ring.")


def exported(client):
    """The export's rows and the queries the whole download cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INBOX, {"export": "csv"})
        rows = excel_dicts(downloaded(response))
    assert response.status_code == 200
    return rows, len(queries)


def test_the_csv_export_costs_no_query_per_row(
    manager_client, manager, interest_page, programs
):
    add_registrations(interest_page, programs, manager, 0, 3)
    manager_client.get(INBOX)  # the first visit records itself
    few, budget = exported(manager_client)
    add_registrations(interest_page, programs, manager, 3, 30)
    many, queries = exported(manager_client)

    assert len(few) == 3
    assert len(many) == 30
    assert queries == budget
    # What the rows carry reached the file.
    statuses = {row["Status"] for row in many}
    assert {"Antagen", "Reserv", "Ny"} <= statuses
    assert {row["Inkom via"] for row in many} == {"Telefon", "Webbformulär"}
    assert any(", " in row["Program"] for row in many)
