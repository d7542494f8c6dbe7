"""Inbox hygiene: duplicates flagged, merged or dismissed; notes; registrations
entered by hand; counts per programme and status above the list."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from forms.duplicates import MERGE_ACTION, flagged
from forms.models import DeliveryState, InterestSubmission, Note, Source
from tests.factories import interest_data, make_registration
from tests.forms.excel_csv import downloaded, excel_dicts

INBOX = "/admin/intresseanmalningar/"
MANUAL = f"{INBOX}manuell/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
BASIC = "/toppolitikerprogrammen/toppolitikerprogrammet/"
CONTINUATION = "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"


def inspect_url(submission):
    return f"{INBOX}inspect/{submission.pk}/"


@pytest.fixture
def pair(seed_pages):
    """Anna twice for 2025 (the second time with another case and a space), and
    once for 2024; Bo once."""
    form = seed_pages[INTEREST_FORM]
    basic, continuation = seed_pages[BASIC], seed_pages[CONTINUATION]
    older = make_registration(
        form,
        "Anna Andersson",
        [basic],
        email="anna@kommun.se",
        days_ago=3,
        message="Jag ringer om datumen.",
    )
    newer = make_registration(
        form,
        "Anna Andersson",
        [continuation],
        email=" Anna@Kommun.SE ",
        message="Hej!",
    )
    other_year = make_registration(
        form, "Anna Andersson", [basic], email="anna@kommun.se", year=2024
    )
    bo = make_registration(form, "Bo Berg", [basic], email="bo@kommun.se")
    return {"older": older, "newer": newer, "other_year": other_year, "bo": bo}


def flags_in_list(client, query=None):
    response = client.get(INBOX, query or {})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    flagged_rows = set()
    for row in soup.select(".inbox-table tbody tr"):
        if row.select_one(".inbox-flag"):
            flagged_rows.add(int(row.select_one("input[name=selected]")["value"]))
    return flagged_rows, response


def test_same_address_and_intake_year_is_flagged_in_the_list(manager_client, pair):
    flagged_rows, response = flags_in_list(manager_client)
    assert flagged_rows == {pair["older"].pk, pair["newer"].pk}
    assert "Möjlig dubblett" in response.content.decode()


def test_the_duplicates_filter_lists_only_the_flagged(manager_client, pair):
    response = manager_client.get(INBOX, {"dubbletter": "ja"})
    listed = {obj.pk for obj in response.context["object_list"]}
    assert listed == {pair["older"].pk, pair["newer"].pk}


def test_the_detail_view_names_the_duplicate_with_merge_and_dismiss(
    manager_client, pair
):
    response = manager_client.get(inspect_url(pair["older"]))
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find(id="duplicates-heading").parent
    assert pair["newer"].reference in section.text
    assert pair["other_year"].reference not in section.text
    buttons = {button.text.strip() for button in section.find_all("button")}
    assert buttons == {"Slå ihop", "Inte en dubblett"}


def test_merge_keeps_the_newest_with_both_programmes_and_the_others_message(
    manager_client, manager, pair
):
    older, newer = pair["older"], pair["newer"]
    response = manager_client.post(
        f"{INBOX}merge/{older.pk}/", {"other": newer.pk}, follow=True
    )

    assert response.redirect_chain[-1][0] == inspect_url(newer)
    assert not InterestSubmission.objects.filter(pk=older.pk).exists()
    kept = InterestSubmission.objects.get(pk=newer.pk)
    assert {p.title for p in kept.programs.all()} == {
        "Toppolitikerprogrammet",
        "Toppolitikerprogrammet – Fortsättning",
    }
    (note,) = kept.notes.all()
    assert older.reference in note.text
    assert "Jag ringer om datumen." in note.text
    assert note.author == manager
    entry = ModelLogEntry.objects.get(action=MERGE_ACTION)
    assert entry.object_id == str(kept.pk)
    assert entry.user == manager
    assert entry.data == {"removed": older.reference}
    # Flag gone: one registration is left for the address and year.
    assert flagged([kept.pk]) == set()


def test_dismiss_is_remembered_and_the_flag_goes(manager_client, pair):
    older, newer = pair["older"], pair["newer"]
    response = manager_client.post(f"{INBOX}dismiss/{newer.pk}/", {"other": older.pk})
    assert response.status_code == 302

    flagged_rows, _response = flags_in_list(manager_client)
    assert flagged_rows == set()
    detail = manager_client.get(inspect_url(older)).content.decode()
    assert 'id="duplicates-heading"' not in detail
    assert InterestSubmission.objects.filter(pk__in=[older.pk, newer.pk]).count() == 2


def test_a_third_registration_is_flagged_again_after_a_dismissal(
    manager_client, pair, seed_pages
):
    manager_client.post(
        f"{INBOX}dismiss/{pair['newer'].pk}/", {"other": pair["older"].pk}
    )
    third = make_registration(
        seed_pages[INTEREST_FORM], "Anna Andersson", email="anna@kommun.se"
    )
    assert flagged([pair["older"].pk, pair["newer"].pk, third.pk]) == {
        pair["older"].pk,
        pair["newer"].pk,
        third.pk,
    }


def test_merge_of_a_registration_that_is_no_duplicate_is_refused(manager_client, pair):
    response = manager_client.post(
        f"{INBOX}merge/{pair['older'].pk}/", {"other": pair["bo"].pk}, follow=True
    )
    assert "inte längre en möjlig dubblett" in response.content.decode()
    assert InterestSubmission.objects.count() == 4


def test_an_editor_can_neither_merge_nor_dismiss(editor_client, pair):
    for action in ("merge", "dismiss", "note"):
        response = editor_client.post(
            f"{INBOX}{action}/{pair['older'].pk}/", {"other": pair["newer"].pk}
        )
        assert response.status_code == 403
    assert InterestSubmission.objects.count() == 4


def test_flags_of_a_page_cost_one_query(pair):
    pks = list(InterestSubmission.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        flagged(pks)
    assert len(queries) == 1


# Notes


def test_a_note_is_added_and_listed_with_author_and_time(manager_client, manager, pair):
    url = inspect_url(pair["bo"])
    response = manager_client.post(
        f"{INBOX}note/{pair['bo'].pk}/", {"text": "Ringde, vill ha kallelse."}
    )
    assert response.status_code == 302
    (note,) = Note.objects.filter(submission=pair["bo"])
    assert note.author == manager
    html = manager_client.get(url).content.decode()
    assert "Ringde, vill ha kallelse." in html
    assert f"{note.created_at:%Y-%m-%d}" in html
    assert (
        "pa" in BeautifulSoup(html, "html.parser").select_one(".inbox-note-meta").text
    )


def test_an_empty_note_is_refused_with_a_swedish_message(manager_client, pair):
    response = manager_client.post(
        f"{INBOX}note/{pair['bo'].pk}/", {"text": "  "}, follow=True
    )
    assert "Skriv anteckningen först." in response.content.decode()
    assert not Note.objects.exists()


def test_notes_are_not_shown_to_those_who_may_not_see_the_inbox(editor_client, pair):
    Note.objects.create(submission=pair["bo"], text="Hemligt")
    response = editor_client.get(inspect_url(pair["bo"]))
    assert response.status_code == 403
    assert "Hemligt" not in response.content.decode()


# Manual entry


def manual_data(programs, source="telefon", **extra):
    data = interest_data(programs, email="telefon@kommun.se")
    data.update(inkom_via=source, **extra)
    return data


def test_a_registration_by_phone_goes_into_the_inbox_marked_and_without_receipt(
    manager_client, programs, recipients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(MANUAL, manual_data(programs[:1]))
    assert response.status_code == 302
    submission = InterestSubmission.objects.get(email="telefon@kommun.se")
    assert submission.source == Source.PHONE
    assert submission.receipt_state == DeliveryState.NOT_WANTED
    assert [p.pk for p in submission.programs.all()] == [programs[0].pk]
    assert submission.intake_year == 2025
    # The managers are told, as for any registration; the person is not.
    assert [message.to for message in mail.outbox] == [[recipients]]

    listed = manager_client.get(INBOX, {"source__exact": "telefon"})
    assert [obj.pk for obj in listed.context["object_list"]] == [submission.pk]
    export = manager_client.get(INBOX, {"export": "csv", "source__exact": "telefon"})
    (row,) = excel_dicts(downloaded(export))
    assert row["Inkom via"] == "Telefon"


def test_a_receipt_is_sent_when_asked_for(
    manager_client, programs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            MANUAL, manual_data(programs[:1], source="brev", skicka_kvitto="on")
        )
    submission = InterestSubmission.objects.get(email="telefon@kommun.se")
    assert submission.source == Source.LETTER
    assert submission.receipt_state == DeliveryState.SENT
    assert ["telefon@kommun.se"] in [message.to for message in mail.outbox]


def test_the_manual_form_has_the_interest_forms_fields_but_no_verification(
    manager_client, programs
):
    response = manager_client.get(MANUAL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    names = {field["name"] for field in soup.select("form [name]")}
    assert {"inkom_via", "skicka_kvitto"} <= names
    assert "altcha" not in names and "website" not in names
    assert set(interest_data(programs)) - {"altcha", "website"} <= names | {
        "csrfmiddlewaretoken"
    }


def test_a_manual_entry_missing_a_required_answer_is_refused_and_kept(
    manager_client, programs
):
    data = manual_data(programs[:1], source="")
    response = manager_client.post(MANUAL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Välj hur anmälan kom in." in html
    assert "telefon@kommun.se" in html  # what was typed is still there
    assert not InterestSubmission.objects.exists()


def test_an_editor_may_not_enter_registrations(editor_client, programs):
    assert editor_client.get(MANUAL).status_code == 403
    assert editor_client.post(MANUAL, manual_data(programs[:1])).status_code == 403
    assert not InterestSubmission.objects.exists()


# Counts above the list


def counts_table(response):
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("table.inbox-counts")
    head = [th.text.strip() for th in table.select("thead th")]
    rows = {
        tr.th.text.strip(): dict(
            zip(head[1:], [td.text.strip() for td in tr.find_all("td")], strict=True)
        )
        for tr in table.select("tbody tr")
    }
    return rows


def test_counts_per_programme_and_status_follow_the_filters(manager_client, pair):
    InterestSubmission.objects.filter(pk=pair["bo"].pk).update(status="kontaktad")
    rows = counts_table(manager_client.get(INBOX))
    assert rows["Toppolitikerprogrammet"]["Ny"] == "2"
    assert rows["Toppolitikerprogrammet"]["Kontaktad"] == "1"
    assert rows["Toppolitikerprogrammet"]["Totalt"] == "3"
    assert rows["Toppolitikerprogrammet – Fortsättning"]["Ny"] == "1"

    filtered = counts_table(manager_client.get(INBOX, {"intake_year": "2024"}))
    assert filtered == {
        "Toppolitikerprogrammet": {
            **dict.fromkeys(filtered["Toppolitikerprogrammet"], "0"),
            "Ny": "1",
            "Totalt": "1",
        }
    }


def test_the_list_with_flags_and_counts_costs_no_query_per_row(
    manager_client, seed_pages, django_assert_max_num_queries
):
    """A page of 5 rows and a page of 50 (of 60) cost the same queries."""
    form, basic = seed_pages[INTEREST_FORM], seed_pages[BASIC]

    def add(first, last):
        # Every other registration shares the address of the one before.
        for number in range(first, last):
            make_registration(form, f"Person{number // 2} X", [basic])

    add(0, 5)
    manager_client.get(INBOX)  # the first visit records itself
    with CaptureQueriesContext(connection) as queries:
        small = manager_client.get(INBOX)
    budget = len(queries)
    assert budget > 0
    assert len(flags_in_list(manager_client)[0]) == 4
    add(5, 60)
    with django_assert_max_num_queries(budget):
        large = manager_client.get(INBOX)
    assert len(small.context["object_list"]) == 5
    assert len(large.context["object_list"]) == 50
    assert b"inbox-flag" in large.content
