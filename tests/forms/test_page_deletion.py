"""Deleting a page deletes the submissions below it: seen, counted and confirmed.

A submission's foreign key to its form page cascades, so deleting the form page,
or the programme index above the interest form, deletes what the public sent.
Only a superuser may delete such a page (tests/programs/test_page_permissions.py);
the confirmation page tells them how many submissions go with it, and nothing
is deleted until they confirm that number.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail.models import GroupPagePermission, Page

import pytest

from forms.models import ContactSubmission, InterestSubmission
from tests.factories import EDITORS, make_contact, make_registration
from tests.forms.test_inbox import BASIC, CONTACT_FORM, INTEREST_FORM

INDEX = "/toppolitikerprogrammen/"
SITE_NAME = {"confirm_site_name": "Toppolitikerprogrammen"}
CONFIRM = "confirm_submissions"


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
def registration(seed_pages):
    return make_registration(seed_pages[INTEREST_FORM], "Anna Andersson")


@pytest.fixture
def three_registrations(seed_pages):
    form = seed_pages[INTEREST_FORM]
    return [
        make_registration(form, name)
        for name in ("Anna Andersson", "Bo Berg", "Cilla Ceder")
    ]


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


def delete_url(page):
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def bulk_delete_url(*pages, next_url="/admin/pages/"):
    query = urlencode({"next": next_url, "id": [page.pk for page in pages]}, True)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    return f"{url}?{query}"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def body(response):
    return response.content.decode()


def checkbox(count):
    return f'name="{CONFIRM}" value="{count}"'


# --- Those who may not ------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_editor_cannot_delete_a_form_page_that_holds_submissions(
    client, editor, registration, seed_pages, method
):
    form = seed_pages[INTEREST_FORM]
    client.force_login(editor)

    response = getattr(client, method)(delete_url(form), {CONFIRM: "1"})

    assert response.status_code == 302
    assert Page.objects.filter(pk=form.pk).exists()
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_editor_cannot_delete_the_index_above_a_form_with_submissions(
    client, branch_editor, registration, seed_pages, method
):
    """Even one trusted with whole branches: the interest form is below it."""
    index = seed_pages[INDEX]
    client.force_login(branch_editor)

    response = getattr(client, method)(delete_url(index), {**SITE_NAME, CONFIRM: "1"})

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert Page.objects.filter(pk=index.pk).exists()
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_the_refusal_does_not_tell_an_editor_how_many_submissions_there_are(
    client, branch_editor, three_registrations, seed_pages
):
    """The communicators do not see even the count of the submissions."""
    client.force_login(branch_editor)

    response = client.get(delete_url(seed_pages[INDEX]))

    (message,) = messages_of(response)
    assert not any(character.isdigit() for character in message)


def test_a_programme_manager_cannot_delete_a_form_page_and_its_submissions(
    client, manager, seed_pages
):
    """They may read and delete the submissions one by one in the inbox, and edit
    the form page, but the page and all its submissions at once is not theirs."""
    contact = seed_pages[CONTACT_FORM]
    question = make_contact(contact, "Gun Gran")
    client.force_login(manager)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[contact.pk]))
    client.post(delete_url(contact), {CONFIRM: "1"})

    assert edit.status_code == 200
    assert delete_url(contact) not in body(edit)
    assert ContactSubmission.objects.filter(pk=question.pk).exists()


def test_an_editors_bulk_delete_leaves_the_form_and_its_submissions(
    client, branch_editor, registration, seed_pages
):
    index, form = seed_pages[INDEX], seed_pages[INTEREST_FORM]
    client.force_login(branch_editor)

    for pages in ([form], [index], [form, index]):
        response = client.post(bulk_delete_url(*pages), {**SITE_NAME, CONFIRM: "1"})
        assert response.status_code in (200, 302)

    assert Page.objects.filter(pk__in=[index.pk, form.pk]).count() == 2
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_bulk_delete_of_other_pages_goes_on_as_before(
    client, branch_editor, registration, seed_pages
):
    theme = seed_pages[f"{BASIC}styrning-och-ledning/"]
    client.force_login(branch_editor)

    client.post(bulk_delete_url(theme))

    assert not Page.objects.filter(pk=theme.pk).exists()


# --- A superuser: sees how many, and confirms -------------------------------------


def test_the_confirmation_page_says_how_many_submissions_go_with_the_page(
    superuser_client, three_registrations, seed_pages
):
    response = superuser_client.get(delete_url(seed_pages[INTEREST_FORM]))

    assert response.status_code == 200
    assert "3 inskickade svar" in body(response)
    assert checkbox(3) in body(response)


def test_the_confirmation_page_counts_the_submissions_of_the_whole_branch(
    superuser_client, three_registrations, seed_pages
):
    make_contact(seed_pages[CONTACT_FORM], "Gun Gran")  # not below the index

    response = superuser_client.get(delete_url(seed_pages[INDEX]))

    assert "3 inskickade svar" in body(response)
    assert checkbox(3) in body(response)
    assert 'name="confirm_site_name"' in body(response)  # Wagtail's, kept


def test_a_superusers_delete_without_confirmation_deletes_nothing(
    superuser_client, three_registrations, seed_pages
):
    form = seed_pages[INTEREST_FORM]

    response = superuser_client.post(delete_url(form))

    assert response.status_code == 302
    assert response.url == delete_url(form)
    assert any("3 inskickade svar" in message for message in messages_of(response))
    assert Page.objects.filter(pk=form.pk).exists()
    assert InterestSubmission.objects.count() == 3


def test_a_confirmation_of_a_count_no_longer_true_deletes_nothing(
    superuser_client, three_registrations, seed_pages
):
    """A submission that came in after the page was opened is confirmed too."""
    form = seed_pages[INTEREST_FORM]

    superuser_client.post(delete_url(form), {CONFIRM: "2"})

    assert Page.objects.filter(pk=form.pk).exists()
    assert InterestSubmission.objects.count() == 3


def test_a_confirmed_delete_deletes_the_page_and_its_submissions(
    superuser_client, three_registrations, seed_pages
):
    form = seed_pages[INTEREST_FORM]

    response = superuser_client.post(delete_url(form), {CONFIRM: "3"})

    assert response.status_code == 302
    assert not Page.objects.filter(pk=form.pk).exists()
    assert not InterestSubmission.objects.exists()


def test_a_confirmed_delete_of_the_branch_deletes_it_all(
    superuser_client, registration, seed_pages
):
    index = seed_pages[INDEX]

    superuser_client.post(delete_url(index), {**SITE_NAME, CONFIRM: "1"})

    assert not Page.objects.filter(pk=index.pk).exists()
    assert not InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_a_form_page_nobody_has_sent_anything_to_asks_no_extra_confirmation(
    superuser_client, seed_pages
):
    contact = seed_pages[CONTACT_FORM]

    confirmation = superuser_client.get(delete_url(contact))
    superuser_client.post(delete_url(contact))

    assert f'name="{CONFIRM}"' not in body(confirmation)
    assert not Page.objects.filter(pk=contact.pk).exists()


def test_a_superusers_bulk_delete_says_how_many_and_waits_for_confirmation(
    superuser_client, three_registrations, seed_pages
):
    form, contact = seed_pages[INTEREST_FORM], seed_pages[CONTACT_FORM]
    make_contact(contact, "Gun Gran")
    url = bulk_delete_url(form, contact, next_url="/admin/")

    confirmation = superuser_client.get(url)
    unconfirmed = superuser_client.post(url)

    assert "4 inskickade svar" in body(confirmation)
    assert checkbox(4) in body(confirmation)
    assert unconfirmed.status_code == 302
    assert any("4 inskickade svar" in message for message in messages_of(unconfirmed))
    assert Page.objects.filter(pk__in=[form.pk, contact.pk]).count() == 2
    assert InterestSubmission.objects.count() == 3


def test_a_superusers_confirmed_bulk_delete_deletes_pages_and_submissions(
    superuser_client, three_registrations, seed_pages
):
    form = seed_pages[INTEREST_FORM]

    superuser_client.post(bulk_delete_url(form), {CONFIRM: "3"})

    assert not Page.objects.filter(pk=form.pk).exists()
    assert not InterestSubmission.objects.exists()
