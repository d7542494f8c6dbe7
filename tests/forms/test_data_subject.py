"""Data-subject requests (GDPR Art. 15 and 17): find, export, erase, recorded."""

import json

from django.contrib.contenttypes.models import ContentType

from wagtail.models import ModelLogEntry

import pytest

from forms.data_subject import subject_digest
from forms.models import ContactSubmission, DataSubjectAction, InterestSubmission
from tests.factories import make_contact, make_registration

URL = "/admin/registrerades-begaran/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
CONTACT_FORM = "/kontakt/"
BASIC = "/toppolitikerprogrammen/toppolitikerprogrammet/"
ADDRESS = "anna@exempel.se"


@pytest.fixture
def stored(seed_pages, manager):
    """Anna wrote twice, once with her address in capitals; Bo once."""
    anna = make_registration(
        seed_pages[INTEREST_FORM], "Anna Andersson", [seed_pages[BASIC]], email=ADDRESS
    )
    question = make_contact(seed_pages[CONTACT_FORM], "Anna Andersson")
    ContactSubmission.objects.filter(pk=question.pk).update(email="ANNA@exempel.se")
    bo = make_registration(seed_pages[INTEREST_FORM], "Bo Berg")
    ModelLogEntry.objects.log_action(
        anna, "wagtail.edit", user=manager, title=str(anna)
    )
    return {"anna": anna, "question": question, "bo": bo}


def test_search_finds_both_inboxes_and_the_log(manager_client, stored):
    response = manager_client.post(URL, {"email": ADDRESS, "action": "search"})
    assert response.status_code == 200
    counts = response.context["findings"].counts()
    assert counts == {
        "exports": 0,
        "forms.contactsubmission": 1,
        "forms.interestsubmission": 1,
        "log_entries": 1,
        "wagtailforms.formsubmission": 0,
    }
    assert stored["anna"].reference in response.content.decode()
    assert stored["bo"].reference not in response.content.decode()


def test_export_is_a_file_with_everything_found(manager_client, stored):
    response = manager_client.post(URL, {"email": ADDRESS, "action": "export"})
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert [r["Referens"] for r in document["Intresseanmälningar"]] == [
        stored["anna"].reference
    ]
    assert [r["Referens"] for r in document["Kontaktförfrågningar"]] == [
        stored["question"].reference
    ]
    assert document["Intresseanmälningar"][0]["Program"] == ["Toppolitikerprogrammet"]
    assert len(document["Logg"]) == 1
    assert "Bo Berg" not in response.content.decode()


def test_erase_needs_a_confirmation(manager_client, stored):
    response = manager_client.post(URL, {"email": ADDRESS, "action": "erase"})
    assert response.status_code == 200
    assert "Bekräfta raderingen först." in response.content.decode()
    assert InterestSubmission.objects.filter(pk=stored["anna"].pk).exists()
    assert not DataSubjectAction.objects.filter(kind="erase").exists()


def test_erase_deletes_the_submissions_and_the_address_from_the_log(
    manager_client, stored
):
    response = manager_client.post(
        URL, {"email": ADDRESS, "action": "erase", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not InterestSubmission.objects.filter(email__iexact=ADDRESS).exists()
    assert not ContactSubmission.objects.filter(email__iexact=ADDRESS).exists()
    assert InterestSubmission.objects.filter(pk=stored["bo"].pk).exists()
    content_type = ContentType.objects.get_for_model(InterestSubmission)
    entry = ModelLogEntry.objects.get(
        content_type=content_type, object_id=str(stored["anna"].pk)
    )
    assert "Anna" not in entry.label
    assert stored["anna"].reference in entry.label
    # Searching again finds nothing.
    again = manager_client.post(URL, {"email": ADDRESS, "action": "search"})
    assert again.context["findings"].counts()["forms.interestsubmission"] == 0


def test_every_action_is_recorded_without_the_address(manager_client, manager, stored):
    for action in ("search", "export"):
        manager_client.post(URL, {"email": ADDRESS, "action": action})
    manager_client.post(URL, {"email": ADDRESS, "action": "erase", "confirm": "on"})
    actions = list(DataSubjectAction.objects.order_by("acted_at"))
    assert [a.kind for a in actions] == ["search", "export", "erase"]
    assert {a.user for a in actions} == {manager}
    assert actions[-1].counts["forms.interestsubmission"] == 1
    assert actions[-1].total() == 3
    # One digest for the address in any case, and no trace of it in the log.
    assert {a.subject_digest for a in actions} == {subject_digest("Anna@Exempel.se")}
    for action in actions:
        stored_text = json.dumps(
            [action.subject_digest, action.counts, action.kind]
        ).lower()
        assert "anna" not in stored_text
        assert "exempel" not in stored_text


def test_a_bad_address_gets_a_swedish_error_and_nothing_is_recorded(manager_client):
    response = manager_client.post(URL, {"email": "anna", "action": "search"})
    assert "Skriv en hel e-postadress" in response.content.decode()
    assert not DataSubjectAction.objects.exists()


def test_an_editor_cannot_find_export_or_erase(editor_client, stored):
    assert editor_client.get(URL).status_code in (302, 403)
    for action in ("search", "export", "erase"):
        response = editor_client.post(
            URL, {"email": ADDRESS, "action": action, "confirm": "on"}
        )
        assert response.status_code in (302, 403)
        assert b"Anna" not in response.content
    assert InterestSubmission.objects.filter(pk=stored["anna"].pk).exists()
    assert not DataSubjectAction.objects.exists()


def test_the_menu_item_is_only_for_programme_managers(manager_client, editor_client):
    assert URL in manager_client.get("/admin/").content.decode()
    assert URL not in editor_client.get("/admin/").content.decode()
