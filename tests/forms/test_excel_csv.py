"""CSV exports that Swedish Excel opens as they are: UTF-8 with a BOM, semicolons,
every answer, and no line in the data that is not a row."""

import codecs
import csv
import io

from django.urls import reverse

import pytest

from tests.factories import make_registration
from tests.forms.excel_csv import downloaded, excel_dicts, excel_rows

INBOX = "/admin/intresseanmalningar/"
BULK = f"{INBOX}bulk/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
BASIC = "/toppolitikerprogrammen/toppolitikerprogrammet/"


@pytest.fixture
def two(seed_pages):
    form, basic = seed_pages[INTEREST_FORM], seed_pages[BASIC]
    return [
        make_registration(
            form, "Åsa Öberg", [basic], organisation="Malmö stad; region Skåne"
        ),
        make_registration(form, "Bo Berg", [basic], message="Rad ett\nRad två"),
    ]


def test_the_inbox_csv_has_a_bom_semicolons_and_only_rows(manager_client, two):
    response = manager_client.get(INBOX, {"export": "csv"})
    data = downloaded(response)

    assert data.startswith(codecs.BOM_UTF8)
    header, *rows = excel_rows(data)
    assert header[:3] == ["Referens", "Namn", "E-post"]
    assert len(rows) == 2  # no closing line among the rows
    by_name = {row[1]: row for row in rows}
    asa = dict(zip(header, by_name["Åsa Öberg"], strict=True))
    assert asa["Kommun/region"] == "Malmö stad; region Skåne"
    bo = dict(zip(header, by_name["Bo Berg"], strict=True))
    assert "Rad ett\nRad två" in bo.values()  # an answer, in its own column


def test_the_completeness_is_in_the_header_and_the_file_name(manager_client, two):
    response = manager_client.get(INBOX, {"export": "csv"})
    rows = excel_dicts(downloaded(response))
    assert response["X-Export-Row-Count"] == str(len(rows)) == "2"
    assert response["Content-Disposition"].endswith('-2-rader.csv"')
    assert not any(value.startswith("# slut") for row in rows for value in row.values())


def test_a_comma_csv_is_one_link_away(manager_client, two):
    listing = manager_client.get(INBOX)
    assert "avgransare=komma" in listing.content.decode()

    response = manager_client.get(INBOX, {"export": "csv", "avgransare": "komma"})
    rows = excel_dicts(downloaded(response), delimiter=",")
    assert {row["Namn"] for row in rows} == {"Åsa Öberg", "Bo Berg"}


def test_the_separator_choice_is_no_filter_and_an_unknown_one_means_semicolon(
    manager_client, two
):
    assert manager_client.get(INBOX, {"avgransare": "komma"}).status_code == 200
    response = manager_client.get(INBOX, {"export": "csv", "avgransare": "tab"})
    assert len(excel_dicts(downloaded(response))) == 2


def test_the_selected_rows_export_takes_the_separator_too(manager_client, two):
    response = manager_client.post(
        BULK,
        {"selected": [two[0].pk], "action": "export_csv", "avgransare": "komma"},
    )
    (row,) = excel_dicts(downloaded(response), delimiter=",")
    assert row["Namn"] == "Åsa Öberg"


def test_wagtails_own_form_export_is_for_excel_too(manager_client, two, seed_pages):
    url = reverse("wagtailforms:list_submissions", args=[seed_pages[INTEREST_FORM].pk])
    data = downloaded(manager_client.get(url, {"export": "csv"}))
    assert data.startswith(codecs.BOM_UTF8)
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(header) > 3
