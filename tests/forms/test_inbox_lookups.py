"""Only the declared filters reach the inboxes' queries (lookup injection).

A programme manager may filter registrations, but not on what lies behind them:
with any lookup allowed, ``status_changed_by__password__regex`` would tell,
character by character, whether the superuser's password hash matches.
"""

import pytest

from tests.conftest import CONTACT_PATH, INTEREST_PATH
from tests.factories import make_contact, make_registration

from .test_inbox import BASIC, CONTACTS, INBOX

PROBES = (
    "status_changed_by__password__regex",
    "status_changed_by__password__startswith",
    "page__owner__password__regex",
    "page__owner__password__startswith",
    "programs__owner__password__regex",
    "programs__owner__password__startswith",
    "page__owner__is_superuser",
    "id__gt",
)


@pytest.fixture
def hashed_superuser(django_user_model):
    """The owner of every seeded page; its hash is what an attacker is after."""
    return django_user_model.objects.create_superuser("chef", "chef@skr.se", "hemlig")


@pytest.fixture
def registration_behind_the_superuser(seed_pages, hashed_superuser):
    form = seed_pages[INTEREST_PATH]
    program = seed_pages[BASIC]
    for page in (form, program):
        type(page).objects.filter(pk=page.pk).update(owner=hashed_superuser)
    return make_registration(
        form, "Anna Andersson", [program], status_changed_by=hashed_superuser
    )


@pytest.mark.parametrize("lookup", PROBES)
def test_the_registrations_inbox_refuses_lookups_beyond_its_filters(
    manager_client, registration_behind_the_superuser, hashed_superuser, lookup
):
    right_guess = "^" + hashed_superuser.password[:6]
    value = "True" if lookup.endswith("is_superuser") else right_guess
    if lookup == "id__gt":
        value = "0"
    for export in ("", "csv", "xlsx"):
        query = {lookup: value, "export": export} if export else {lookup: value}
        response = manager_client.get(INBOX, query)
        assert response.status_code == 400, (lookup, export)
        assert b"Anna Andersson" not in b"".join(
            getattr(response, "streaming_content", [response.content])
        )


def test_a_right_and_a_wrong_guess_get_the_same_answer(
    manager_client, registration_behind_the_superuser, hashed_superuser
):
    lookup = "status_changed_by__password__startswith"
    right = manager_client.get(INBOX, {lookup: hashed_superuser.password[:8]})
    wrong = manager_client.get(INBOX, {lookup: "zzzzzzzz"})
    assert right.status_code == wrong.status_code == 400

    def without_request_id(response):
        # Each answer names its own request ("Felkod"), whatever was asked.
        return response.content.replace(response["X-Request-ID"].encode(), b"")

    assert without_request_id(right) == without_request_id(wrong)


@pytest.mark.parametrize("lookup", ["page__owner__password__regex", "id__gte"])
def test_the_contact_inbox_refuses_lookups_beyond_its_filters(
    manager_client, seed_pages, hashed_superuser, lookup
):
    page = seed_pages[CONTACT_PATH]
    type(page).objects.filter(pk=page.pk).update(owner=hashed_superuser)
    make_contact(page, "Bo Berg")

    response = manager_client.get(CONTACTS, {lookup: "^pbkdf2"})

    assert response.status_code == 400
    assert "Bo Berg" not in response.content.decode()


def test_declared_filters_search_ordering_and_paging_still_work(
    manager_client, registration_behind_the_superuser, seed_pages
):
    query = {
        "program": seed_pages[BASIC].pk,
        "intake_year": 2025,
        "status__exact": "ny",
        "submit_time__gte": "2000-01-01 00:00:00+00:00",
        "q": "Anna",
        "o": "0",
        "p": "1",
    }
    response = manager_client.get(INBOX, query)
    assert response.status_code == 200
    assert [s.name for s in response.context["object_list"]] == ["Anna Andersson"]


def test_registrations_without_a_programme_have_a_filter_of_their_own(
    manager_client, seed_pages
):
    form = seed_pages[INTEREST_PATH]
    make_registration(form, "Utan Program", [])
    make_registration(form, "Med Program", [seed_pages[BASIC]])

    response = manager_client.get(INBOX, {"program": "inget"})

    assert [s.name for s in response.context["object_list"]] == ["Utan Program"]
