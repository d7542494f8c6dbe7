"""The registrations inbox: list, filters, search, export, detail, status, panel."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from forms.dashboard import new_registration_rows
from forms.models import InterestSubmission
from tests.factories import make_contact, make_registration
from tests.forms.excel_csv import downloaded, excel_dicts

INBOX = "/admin/intresseanmalningar/"
CONTACTS = "/admin/kontaktforfragningar/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
CONTACT_FORM = "/kontakt/"
BASIC = "/toppolitikerprogrammen/toppolitikerprogrammet/"
CONTINUATION = "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"


@pytest.fixture
def registrations(seed_pages):
    form = seed_pages[INTEREST_FORM]
    basic, continuation = seed_pages[BASIC], seed_pages[CONTINUATION]
    return {
        "anna": make_registration(
            form, "Anna Andersson", [basic], organisation="Malmö stad"
        ),
        "bo": make_registration(form, "Bo Berg", [continuation], year=2024),
        "cilla": make_registration(
            form,
            "Cilla Ceder",
            [basic, continuation],
            status=InterestSubmission.Status.CONTACTED,
        ),
        "dan": make_registration(form, "Dan Dahl", [], organisation="Region Skåne"),
    }


def listed_names(response):
    assert response.status_code == 200
    return {submission.name for submission in response.context["object_list"]}


def csv_rows(response):
    """The rows of a CSV export as Excel reads them, as many as its header says."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = excel_dicts(downloaded(response))
    assert response["X-Export-Row-Count"] == str(len(rows))
    return rows


def xlsx_download(client, query, capture):
    """Ask for an XLSX export, let the worker build it, follow the link offered."""
    with capture(execute=True):
        asked = client.get(INBOX, {**query, "export": "xlsx"})
    assert asked.status_code == 302
    exports = client.get(asked.url)
    link = BeautifulSoup(exports.content, "html.parser").find("a", download=True)
    assert link, "the exports page links the finished file"
    return client.get(link["href"])


def xlsx_rows(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_inbox_lists_registrations_from_all_interest_forms(
    manager_client, registrations
):
    response = manager_client.get(INBOX)
    assert listed_names(response) == {
        "Anna Andersson",
        "Bo Berg",
        "Cilla Ceder",
        "Dan Dahl",
    }
    content = response.content.decode()
    assert "Intresseanmälningar" in content
    # Programmes by their short names, each with its full title.
    soup = BeautifulSoup(content, "html.parser")
    cilla = soup.find("a", href=f"{INBOX}inspect/{registrations['cilla'].pk}/")
    assert cilla.get_text(" ", strip=True) == "Cilla Ceder"
    programs = cilla.find_parent("tr").select("abbr")
    cilla_programs = registrations["cilla"].programs.order_by("path")
    assert [(abbr.get_text(), abbr["title"]) for abbr in programs] == [
        (program.abbreviation, program.title) for program in cilla_programs
    ]


def test_inbox_filters_by_programme(manager_client, registrations, seed_pages):
    continuation = seed_pages[CONTINUATION]
    response = manager_client.get(INBOX, {"program": continuation.pk})
    assert listed_names(response) == {"Bo Berg", "Cilla Ceder"}


def test_inbox_filters_by_intake_year(manager_client, registrations):
    response = manager_client.get(INBOX, {"intake_year": 2024})
    assert listed_names(response) == {"Bo Berg"}


def test_the_intake_year_filter_offers_every_year_from_the_first_to_the_last(
    manager_client, registrations, seed_pages
):
    make_registration(seed_pages[INTEREST_FORM], "Eva Ek", year=2027)
    view = manager_client.get(INBOX).context["view"]
    years = next(s for s in view.filter_specs if s.parameter_name == "intake_year")
    assert [value for value, _ in years.lookup_choices] == [
        "2024",
        "2025",
        "2026",
        "2027",
    ]
    response = manager_client.get(INBOX, {"intake_year": 2027})
    assert listed_names(response) == {"Eva Ek"}
    assert listed_names(manager_client.get(INBOX, {"intake_year": 99999})) == set()


def test_inbox_filters_by_status(manager_client, registrations):
    response = manager_client.get(INBOX, {"status__exact": "kontaktad"})
    assert listed_names(response) == {"Cilla Ceder"}


def test_inbox_filters_by_date(manager_client, registrations, seed_pages):
    make_registration(seed_pages[INTEREST_FORM], "Eva Ek", days_ago=40)
    view = manager_client.get(INBOX).context["view"]
    date_filter = next(s for s in view.filter_specs if hasattr(s, "links"))
    title, past_week = date_filter.links[2]  # any, today, past 7 days, month, year
    assert str(title) == "Senaste 7 dagarna"
    response = manager_client.get(INBOX, past_week)
    assert listed_names(response) == {
        "Anna Andersson",
        "Bo Berg",
        "Cilla Ceder",
        "Dan Dahl",
    }


def test_inbox_combines_filters(manager_client, registrations, seed_pages):
    response = manager_client.get(
        INBOX,
        {
            "program": seed_pages[BASIC].pk,
            "intake_year": 2025,
            "status__exact": "ny",
        },
    )
    assert listed_names(response) == {"Anna Andersson"}


def test_inbox_answers_a_broken_filter_link_with_the_whole_list(
    manager_client, registrations
):
    response = manager_client.get(INBOX, {"intake_year": "tjugo"})
    assert response.status_code == 302
    assert response.url == INBOX


def test_inbox_refuses_a_parameter_that_is_no_filter(manager_client, registrations):
    response = manager_client.get(INBOX, {"okänd": "1"})
    assert response.status_code == 400


def test_inbox_searches_by_organisation(manager_client, registrations):
    response = manager_client.get(INBOX, {"q": "Malmö"})
    assert listed_names(response) == {"Anna Andersson"}


def test_inbox_searches_by_name_and_email(manager_client, registrations):
    assert listed_names(manager_client.get(INBOX, {"q": "Ceder"})) == {"Cilla Ceder"}
    assert listed_names(manager_client.get(INBOX, {"q": "bo@example"})) == {"Bo Berg"}


def test_inbox_runs_a_fixed_number_of_queries(
    manager_client, registrations, seed_pages
):
    """The programme column is prefetched, so more rows mean no more queries."""

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(INBOX).status_code == 200
        return len(queries)

    before = count_queries()
    form, basic = seed_pages[INTEREST_FORM], seed_pages[BASIC]
    for number in range(5):
        make_registration(form, f"Extra {number}", [basic, seed_pages[CONTINUATION]])
    assert count_queries() == before


def test_csv_export_holds_exactly_the_filtered_rows(
    manager_client, registrations, seed_pages
):
    response = manager_client.get(
        INBOX, {"program": seed_pages[CONTINUATION].pk, "export": "csv"}
    )
    rows = csv_rows(response)
    assert sorted(row["Namn"] for row in rows) == ["Bo Berg", "Cilla Ceder"]
    cilla = next(row for row in rows if row["Namn"] == "Cilla Ceder")
    assert cilla["Program"] == (
        "Toppolitikerprogrammet, Toppolitikerprogrammet – Fortsättning"
    )
    assert cilla["Status"] == "Kontaktad"
    assert cilla["Antagningsår"] == "2025"
    assert cilla["E-post"] == "cilla@example.se"
    assert cilla["Formulär"] == "Intresseanmälan för 2025"


def test_csv_export_respects_the_search(manager_client, registrations):
    rows = csv_rows(manager_client.get(INBOX, {"q": "Region", "export": "csv"}))
    assert [row["Namn"] for row in rows] == ["Dan Dahl"]
    assert rows[0]["Program"] == ""


def test_csv_export_does_not_let_an_answer_run_as_a_formula(manager_client, seed_pages):
    make_registration(
        seed_pages[INTEREST_FORM], "Eva Ek", organisation='=HYPERLINK("http://x")'
    )
    rows = csv_rows(manager_client.get(INBOX, {"export": "csv"}))
    assert rows[0]["Kommun/region"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Namn"] == "Eva Ek"


def test_xlsx_export_has_the_same_rows_as_the_csv(
    manager_client, registrations, django_capture_on_commit_callbacks
):
    query = {"status__exact": "ny", "intake_year": 2025}
    from_csv = csv_rows(manager_client.get(INBOX, {**query, "export": "csv"}))
    from_xlsx = xlsx_rows(
        xlsx_download(manager_client, query, django_capture_on_commit_callbacks)
    )
    assert sorted(row["Namn"] for row in from_xlsx) == ["Anna Andersson", "Dan Dahl"]
    assert [row["Namn"] for row in from_xlsx] == [row["Namn"] for row in from_csv]
    assert [row["Program"] or "" for row in from_xlsx] == [
        row["Program"] for row in from_csv
    ]


def test_export_file_is_named_after_the_inbox(
    manager_client, registrations, django_capture_on_commit_callbacks
):
    response = xlsx_download(manager_client, {}, django_capture_on_commit_callbacks)
    assert "intresseanmalningar-" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_inspect_view_shows_answers_and_delivery_state(manager_client, registrations):
    anna = registrations["anna"]
    response = manager_client.get(f"{INBOX}inspect/{anna.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Anna Andersson",
        "Malmö stad",
        "Hej!",
        "Väntar",
        "Toppolitikerprogrammet",
    ):
        assert text in content
    assert "Ändra status" in content


def test_status_change_records_who_and_when(manager_client, manager, registrations):
    bo = registrations["bo"]
    before = timezone.now()
    response = manager_client.post(
        f"{INBOX}status/{bo.pk}/", {"status": "kontaktad"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{INBOX}inspect/{bo.pk}/"
    bo.refresh_from_db()
    assert bo.status == InterestSubmission.Status.CONTACTED
    assert bo.status_changed_by == manager
    assert before <= bo.status_changed_at <= timezone.now()
    messages = [str(message) for message in response.context["messages"]]
    assert any("är nu ”Kontaktad”" in message for message in messages)


def test_status_change_refuses_an_unknown_status(manager_client, registrations):
    bo = registrations["bo"]
    manager_client.post(f"{INBOX}status/{bo.pk}/", {"status": "raderad"})
    bo.refresh_from_db()
    assert bo.status == InterestSubmission.Status.NEW
    assert bo.status_changed_by is None


def test_home_panel_counts_new_registrations_per_programme_and_year(
    manager_client, registrations, seed_pages
):
    form, basic = seed_pages[INTEREST_FORM], seed_pages[BASIC]
    make_registration(form, "Eva Ek", [basic])
    response = manager_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nya intresseanmälningar" in content
    assert "2 nya" in content
    link = f"?intake_year=2025&amp;status__exact=ny&amp;program={basic.pk}"
    assert link in content


def test_home_panel_counts_in_one_query(
    registrations, seed_pages, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = new_registration_rows()
    counts = {(row["program"], row["intake_year"]): row["count"] for row in rows}
    assert counts == {
        ("Toppolitikerprogrammet", 2025): 1,
        ("Toppolitikerprogrammet – Fortsättning", 2024): 1,
        (None, 2025): 1,
    }


def test_home_panel_link_opens_the_matching_registrations(
    manager_client, registrations
):
    rows = new_registration_rows()
    unassigned = next(row for row in rows if row["program"] is None)
    assert listed_names(manager_client.get(unassigned["url"])) == {"Dan Dahl"}


def test_contact_requests_are_listed_searched_and_exported(manager_client, seed_pages):
    page = seed_pages[CONTACT_FORM]
    make_contact(page, "Gun Gran", organisation="Region Örebro län")
    make_contact(page, "Hans Holm")
    assert listed_names(manager_client.get(CONTACTS)) == {"Gun Gran", "Hans Holm"}
    rows = csv_rows(manager_client.get(CONTACTS, {"q": "Örebro", "export": "csv"}))
    assert [row["Namn"] for row in rows] == ["Gun Gran"]
    assert rows[0]["Meddelande"] == "En fråga om programmen."


def test_contact_export_runs_a_fixed_number_of_queries(manager_client, seed_pages):
    """The answers column reads each form's fields once, not once per row."""
    page = seed_pages[CONTACT_FORM]

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(manager_client.get(CONTACTS, {"export": "csv"}))
        assert all(row["Meddelande"] == "En fråga om programmen." for row in rows)
        return len(queries)

    make_contact(page, "Gun Gran")
    before = count_queries()
    for number in range(5):
        make_contact(page, f"Extra {number}")
    assert count_queries() == before


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "abc"])
def test_inbox_survives_a_hand_edited_programme_filter(
    manager_client, registrations, value
):
    response = manager_client.get(INBOX, {"program": value})
    assert response.status_code == 200
    if value.isdecimal():
        assert listed_names(response) == set()
    else:
        assert len(listed_names(response)) == len(registrations)


def test_registrations_for_an_unpublished_programme_stay_reachable(
    manager_client, registrations, seed_pages
):
    continuation = seed_pages[CONTINUATION]
    continuation.unpublish()
    view = manager_client.get(INBOX).context["view"]
    program_filter = next(s for s in view.filter_specs if s.parameter_name == "program")
    labels = dict(program_filter.lookup_choices)
    assert labels[str(continuation.pk)].endswith("(avpublicerat)")
    response = manager_client.get(INBOX, {"program": continuation.pk})
    assert listed_names(response) == {"Bo Berg", "Cilla Ceder"}
