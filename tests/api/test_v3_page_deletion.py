"""v3 deletes and moves of the form pages: superusers only, and counted.

``DELETE /api/v3/pages/<id>/`` (and ``…/actions/delete/``) calls Wagtail's
delete action, which asks the same permission tester as the admin: before this,
a programme manager's token deleted a form page and every submission with it,
and a communicator's token deleted the contact form.
"""

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Page

import pytest

from forms.models import InterestSubmission
from programs.models import ProgramIndexPage
from tests.factories import EDITORS, make_registration

from .v3 import V3, openapi, token_client

pytestmark = pytest.mark.django_db

INDEX = "/toppolitikerprogrammen/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
CONTACT_FORM = "/kontakt/"
THEME = "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/"
PEOPLE = ["manager", "editor"]
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def person(request):
    """The programme manager or the communicator, by name."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def branch_editor(editor):
    """A communicator also trusted to delete whole branches (bulk_delete)."""
    GroupPagePermission.objects.create(
        group=Group.objects.get(name=EDITORS),
        page=Page.objects.get(depth=1),
        permission=Permission.objects.get(codename="bulk_delete_page"),
    )
    return editor


@pytest.fixture
def second_index(seed_pages):
    return seed_pages["/"].add_child(
        instance=ProgramIndexPage(title="Ett annat program", slug="annat", intro="-")
    )


def delete_urls(page):
    return [f"{V3}/pages/{page.pk}/", f"{V3}/pages/{page.pk}/actions/delete/"]


def move(client, page, destination):
    return client.post(
        f"{V3}/pages/{page.pk}/actions/move/",
        {"destination_id": destination.pk, "position": "last-child"},
        content_type="application/json",
    )


def assert_refused_in_swedish(response):
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    assert "superanvändare" in response.json()["detail"]


# --- Managers and communicators ----------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
@pytest.mark.parametrize("path", [INTEREST_FORM, CONTACT_FORM])
def test_no_manager_or_communicator_token_deletes_a_form_page(person, seed_pages, path):
    form = seed_pages[path]
    client = token_client(person)

    for url in delete_urls(form):
        assert_refused_in_swedish(client.delete(url))

    assert Page.objects.filter(pk=form.pk).exists()


def test_a_refusal_tells_a_manager_no_count(manager, seed_pages):
    form = seed_pages[INTEREST_FORM]
    make_registration(form, "Sigrid Hemlig")

    response = token_client(manager).delete(
        f"{V3}/pages/{form.pk}/?confirm_submissions=1"
    )

    assert_refused_in_swedish(response)
    assert not any(character.isdigit() for character in response.json()["detail"])
    assert InterestSubmission.objects.count() == 1


def test_a_communicator_token_cannot_delete_the_branch_above_a_form(
    branch_editor, seed_pages
):
    index = seed_pages[INDEX]
    assert_refused_in_swedish(token_client(branch_editor).delete(delete_urls(index)[0]))
    assert Page.objects.filter(pk=index.pk).exists()


def test_a_communicator_token_cannot_move_the_interest_form(
    editor, seed_pages, second_index
):
    form = seed_pages[INTEREST_FORM]

    assert_refused_in_swedish(move(token_client(editor), form, second_index))

    form.refresh_from_db()
    assert form.get_parent().pk == seed_pages[INDEX].pk


def test_a_manager_token_cannot_move_the_interest_form(
    manager, seed_pages, second_index
):
    response = move(token_client(manager), seed_pages[INTEREST_FORM], second_index)
    assert response.status_code == 403


def test_a_communicator_token_still_deletes_an_ordinary_page(editor, seed_pages):
    theme = seed_pages[THEME]
    assert token_client(editor).delete(delete_urls(theme)[0]).status_code == 204
    assert not Page.objects.filter(pk=theme.pk).exists()


# --- A superuser -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", [0, 1])
def test_a_superuser_delete_of_a_page_with_submissions_must_name_their_count(
    admin_user, seed_pages, endpoint
):
    form = seed_pages[INTEREST_FORM]
    make_registration(form, "Anna Andersson")
    make_registration(form, "Bo Berg")
    url = delete_urls(form)[endpoint]
    client = token_client(admin_user)

    unconfirmed = client.delete(url)
    wrong = client.delete(f"{url}?confirm_submissions=1")

    for response in (unconfirmed, wrong):
        assert response.status_code == 409, response.content
        assert response["Content-Type"] == PROBLEM_JSON
        problem = response.json()
        assert "2 inskickade svar" in problem["detail"]
        assert problem["errors"][0]["loc"] == ["query", "confirm_submissions"]
        assert problem["errors"][0]["ctx"] == {"submissions": 2}
    assert Page.objects.filter(pk=form.pk).exists()
    assert InterestSubmission.objects.count() == 2

    assert client.delete(f"{url}?confirm_submissions=2").status_code == 204
    assert not Page.objects.filter(pk=form.pk).exists()
    assert not InterestSubmission.objects.exists()


def test_a_superuser_delete_of_the_branch_counts_the_whole_branch(
    admin_user, seed_pages
):
    index = seed_pages[INDEX]
    make_registration(seed_pages[INTEREST_FORM], "Anna Andersson")
    client = token_client(admin_user)

    response = client.delete(delete_urls(index)[0])

    assert response.status_code == 409
    assert "1 inskickat svar" in response.json()["detail"]
    assert (
        client.delete(f"{delete_urls(index)[0]}?confirm_submissions=1").status_code
        == 204
    )


def test_a_superuser_deletes_a_page_without_submissions_as_before(
    admin_user, seed_pages
):
    contact = seed_pages[CONTACT_FORM]
    assert token_client(admin_user).delete(delete_urls(contact)[0]).status_code == 204
    assert not Page.objects.filter(pk=contact.pk).exists()


def test_a_superuser_token_moves_the_interest_form(
    admin_user, seed_pages, second_index
):
    form = seed_pages[INTEREST_FORM]
    assert move(token_client(admin_user), form, second_index).status_code == 200
    form.refresh_from_db()
    assert form.get_parent().pk == second_index.pk


def test_the_openapi_document_describes_the_confirmation():
    paths = openapi()["paths"]
    for path in ("/api/v3/pages/{page_id}/", "/api/v3/pages/{page_id}/actions/delete/"):
        operation = paths[path]["delete"]
        (parameter,) = [
            parameter
            for parameter in operation["parameters"]
            if parameter["name"] == "confirm_submissions"
        ]
        assert parameter["in"] == "query"
        assert parameter["schema"]["type"] == "integer"
        assert "409" in operation["responses"]
