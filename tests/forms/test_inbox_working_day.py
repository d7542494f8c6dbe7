"""The inbox for a working day: whole words, links, bulk actions, "new since my
last visit", reference search, the contact inbox's columns."""

import io
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from forms.models import InboxVisit, InterestSubmission
from forms.models.inbox import VISIT_GAP
from tests.factories import (
    MANAGERS,
    backdate,
    make_contact,
    make_member,
    make_registration,
)
from tests.forms.excel_csv import downloaded, excel_dicts

INBOX = "/admin/intresseanmalningar/"
BULK = "/admin/intresseanmalningar/bulk/"
CONTACTS = "/admin/kontaktforfragningar/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
CONTACT_FORM = "/kontakt/"
BASIC = "/toppolitikerprogrammen/toppolitikerprogrammet/"


@pytest.fixture
def three(seed_pages):
    form, basic = seed_pages[INTEREST_FORM], seed_pages[BASIC]
    return [
        make_registration(form, "Anna-Karin Lindqvist-Johansson", [basic]),
        make_registration(form, "Bo Berg", [basic], days_ago=1),
        make_registration(form, "Cilla Ceder", [], days_ago=2),
    ]


def listed(response):
    assert response.status_code == 200
    return {submission.name for submission in response.context["object_list"]}


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_each_word_of_a_name_is_kept_whole_and_links_to_the_detail(
    manager_client, three
):
    anna = three[0]
    link = soup_of(manager_client.get(INBOX)).find(
        "a", href=f"{INBOX}inspect/{anna.pk}/"
    )
    assert [w.get_text() for w in link.select(".inbox-word")] == [
        "Anna-Karin",
        "Lindqvist-Johansson",
    ]


def test_an_address_may_break_only_after_its_at_sign(manager_client, three):
    anna = three[0]
    row = (
        soup_of(manager_client.get(INBOX))
        .find("a", href=f"{INBOX}inspect/{anna.pk}/")
        .find_parent("tr")
    )
    email = row.select_one(".inbox-email")
    assert [w.get_text() for w in email.select(".inbox-word")] == [
        "anna-karin@",
        "example.se",
    ]
    assert email.find("wbr") is not None


def test_the_list_has_no_delete_button_only_the_detail_view_leads_there(
    manager_client, three
):
    anna = three[0]
    page = soup_of(manager_client.get(INBOX))
    assert not page.find("a", href=f"{INBOX}delete/{anna.pk}/")
    detail = soup_of(manager_client.get(f"{INBOX}inspect/{anna.pk}/"))
    assert detail.find("a", href=f"{INBOX}delete/{anna.pk}/")
    # The delete link asks first: it opens a confirmation, not a deletion.
    confirm = manager_client.get(f"{INBOX}delete/{anna.pk}/")
    assert confirm.status_code == 200
    assert InterestSubmission.objects.filter(pk=anna.pk).exists()


def test_bulk_status_change_sets_the_selected_rows_and_records_who(
    manager_client, manager, three
):
    anna, bo, cilla = three
    response = manager_client.post(
        BULK,
        {
            "selected": [anna.pk, bo.pk],
            "action": "status",
            "status": "kontaktad",
            "next": "status__exact=ny",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?status__exact=ny"
    statuses = dict(InterestSubmission.objects.values_list("name", "status"))
    assert statuses == {
        anna.name: "kontaktad",
        bo.name: "kontaktad",
        cilla.name: "ny",
    }
    anna.refresh_from_db()
    assert anna.status_changed_by == manager
    assert anna.status_changed_at is not None


def test_bulk_status_refuses_an_unknown_status_and_changes_nothing(
    manager_client, three
):
    manager_client.post(
        BULK, {"selected": [three[0].pk], "action": "status", "status": "borta"}
    )
    assert set(InterestSubmission.objects.values_list("status", flat=True)) == {"ny"}


def test_bulk_action_without_selection_says_so(manager_client, three):
    response = manager_client.post(
        BULK, {"action": "status", "status": "kontaktad"}, follow=True
    )
    assert "Markera minst en rad först." in response.content.decode()


def test_bulk_export_holds_exactly_the_selected_rows(manager_client, three):
    anna, bo, _cilla = three
    response = manager_client.post(
        BULK, {"selected": [anna.pk, bo.pk, "999999999", "x"], "action": "export_csv"}
    )
    rows = excel_dicts(downloaded(response))
    assert response["X-Export-Row-Count"] == "2"  # the file is whole
    assert {row["Namn"] for row in rows} == {anna.name, bo.name}
    assert {row["Referens"] for row in rows} == {anna.reference, bo.reference}


def test_bulk_export_as_xlsx_has_the_same_rows(manager_client, three):
    response = manager_client.post(
        BULK, {"selected": [three[2].pk], "action": "export_xlsx"}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    header, *rows = workbook.active.iter_rows(values_only=True)
    assert [dict(zip(header, row, strict=True))["Namn"] for row in rows] == [
        "Cilla Ceder"
    ]


def test_an_editor_cannot_use_the_bulk_actions(editor_client, three):
    response = editor_client.post(
        BULK, {"selected": [three[0].pk], "action": "status", "status": "antagen"}
    )
    assert response.status_code == 403
    assert set(InterestSubmission.objects.values_list("status", flat=True)) == {"ny"}


def test_new_since_my_last_visit_shows_what_came_after_the_previous_visit(
    manager_client, manager, three, seed_pages
):
    """Looking again within the same visit keeps the filter's meaning; the next
    visit (after a pause longer than VISIT_GAP) shows only what came since."""
    first = manager_client.get(INBOX, {"nya": "1"})
    # A first visit: everything is new.
    assert listed(first) == {s.name for s in three}

    # The visit ends; an hour later a new registration arrives...
    visit = InboxVisit.objects.get(user=manager)
    ended = timezone.now() - 2 * VISIT_GAP
    InboxVisit.objects.filter(pk=visit.pk).update(last_seen_at=ended)
    for submission in three:
        backdate(submission, 1)
    newcomer = make_registration(seed_pages[INTEREST_FORM], "Dan Dahl")

    # ...and the next visit shows it alone, on every view of that visit.
    assert listed(manager_client.get(INBOX, {"nya": "1"})) == {"Dan Dahl"}
    assert listed(manager_client.get(INBOX, {"nya": "1", "o": "0"})) == {"Dan Dahl"}
    assert listed(manager_client.get(INBOX)) == {s.name for s in [*three, newcomer]}
    assert (
        "Nya sedan mitt senaste besök (1)" in manager_client.get(INBOX).content.decode()
    )


def test_last_visit_is_each_persons_own(
    manager_client, three, django_user_model, seed_pages
):
    backdate(three[0], 1)
    manager_client.get(INBOX)
    other = Client()
    other.force_login(make_member(django_user_model, "pa2", MANAGERS))
    InboxVisit.objects.update(last_seen_at=timezone.now() - timedelta(hours=2))
    make_registration(seed_pages[INTEREST_FORM], "Dan Dahl")
    # The first manager's last visit was before Dan; the second never visited.
    assert listed(manager_client.get(INBOX, {"nya": "1"})) == {"Dan Dahl"}
    assert len(listed(other.get(INBOX, {"nya": "1"}))) == 4


@pytest.mark.parametrize(
    "written", ["{ref}", "{lower}", "{nohyphen}", "{spaced}"], ids=str
)
def test_the_inbox_finds_a_reference_however_it_is_written(
    manager_client, three, written
):
    bo = three[1]
    ref = bo.reference
    query = written.format(
        ref=ref,
        lower=ref.lower(),
        nohyphen=ref.replace("-", ""),
        spaced=ref.replace("-", " "),
    )
    assert listed(manager_client.get(INBOX, {"q": query})) == {"Bo Berg"}


def test_a_name_that_could_be_a_reference_is_still_found_as_a_name(
    manager_client, seed_pages
):
    make_registration(seed_pages[INTEREST_FORM], "Strandberg Test")
    assert listed(manager_client.get(INBOX, {"q": "Strandberg"})) == {"Strandberg Test"}


def test_the_contact_inbox_shows_a_message_preview_and_no_organisation_column(
    manager_client, seed_pages
):
    make_contact(seed_pages[CONTACT_FORM], "Gun Gran")
    page = soup_of(manager_client.get(CONTACTS))
    headers = [th.get_text(" ", strip=True) for th in page.select("table thead th")]
    assert "Kommun/region" not in headers
    assert "Meddelande" in headers
    preview = page.select_one("td.inbox-cell-message_preview").get_text(" ", strip=True)
    assert preview == "En fråga om programmen."


def test_the_inbox_styles_come_from_the_sites_own_static_files(manager_client, three):
    page = soup_of(manager_client.get(INBOX))
    sheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert any(href.endswith("forms/admin/inbox.css") for href in sheets)
    assert all(href.startswith("/") and not href.startswith("//") for href in sheets)


def test_contact_requests_have_no_status_to_set_in_bulk(manager_client, seed_pages):
    question = make_contact(seed_pages[CONTACT_FORM], "Gun Gran")
    response = manager_client.post(
        "/admin/kontaktforfragningar/bulk/",
        {"selected": [question.pk], "action": "status", "status": "kontaktad"},
    )
    assert response.status_code == 403
    page = soup_of(manager_client.get(CONTACTS))
    assert page.select_one("select[name=status]") is None
