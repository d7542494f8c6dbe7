"""Deleting a page deletes the submissions below it: only for those who may.

A submission's foreign key to its form page cascades, so deleting the form page,
or the programme index above the interest form, deletes what the public sent.
The communicators ("Redaktörer") may delete pages but not submissions.
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
REFUSAL = "kan inte raderas"


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


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_editor_cannot_delete_a_form_page_that_holds_submissions(
    client, editor, registration, seed_pages, method
):
    form = seed_pages[INTEREST_FORM]
    client.force_login(editor)

    response = getattr(client, method)(delete_url(form))

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

    response = getattr(client, method)(
        delete_url(index), {"confirm_site_name": "Toppolitikerprogrammen"}
    )

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[index.pk])
    assert any(REFUSAL in message for message in messages_of(response))
    assert Page.objects.filter(pk=index.pk).exists()
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_a_plain_editor_cannot_delete_the_index_either(
    client, editor, registration, seed_pages
):
    """Without bulk_delete Wagtail already keeps a communicator to leaf pages."""
    index = seed_pages[INDEX]
    client.force_login(editor)

    for method in (client.get, client.post):
        assert method(delete_url(index)).status_code == 302
    assert Page.objects.filter(pk=index.pk).exists()
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_the_refusal_does_not_tell_an_editor_how_many_submissions_there_are(
    client, branch_editor, seed_pages
):
    """The communicators do not see even the count of the submissions."""
    for name in ("Anna Andersson", "Bo Berg", "Cilla Ceder"):
        make_registration(seed_pages[INTEREST_FORM], name)
    client.force_login(branch_editor)

    response = client.get(delete_url(seed_pages[INDEX]))

    (message,) = messages_of(response)
    assert REFUSAL in message
    assert not any(character.isdigit() for character in message)


def test_an_editor_does_not_see_a_delete_button_on_a_form_with_submissions(
    client, editor, seed_pages
):
    form = seed_pages[INTEREST_FORM]
    edit_url = reverse("wagtailadmin_pages:edit", args=[form.pk])
    listing_url = reverse("wagtailadmin_explore", args=[seed_pages[INDEX].pk])
    client.force_login(editor)
    # Before anyone has sent the form, the button is there.
    assert delete_url(form) in body(client.get(listing_url))

    make_registration(form, "Anna Andersson")
    edit, listing = client.get(edit_url), client.get(listing_url)

    assert edit.status_code == listing.status_code == 200
    assert delete_url(form) not in body(edit)
    assert delete_url(form) not in body(listing)


def test_an_editor_may_delete_a_form_page_nobody_has_sent_anything_to(
    client, editor, seed_pages
):
    contact = seed_pages[CONTACT_FORM]
    client.force_login(editor)

    assert delete_url(contact) in body(
        client.get(reverse("wagtailadmin_pages:edit", args=[contact.pk]))
    )
    client.post(delete_url(contact))

    assert not Page.objects.filter(pk=contact.pk).exists()


def test_an_editors_bulk_delete_leaves_the_form_and_its_submissions(
    client, branch_editor, registration, seed_pages
):
    index, form = seed_pages[INDEX], seed_pages[INTEREST_FORM]
    client.force_login(branch_editor)

    for pages in ([form], [index], [form, index]):
        response = client.post(bulk_delete_url(*pages))
        assert response.status_code in (200, 302)

    assert Page.objects.filter(pk__in=[index.pk, form.pk]).count() == 2
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_an_editors_bulk_delete_says_why_the_index_stays(
    client, branch_editor, registration, seed_pages
):
    client.force_login(branch_editor)

    response = client.post(bulk_delete_url(seed_pages[INDEX], next_url="/admin/"))

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert any(REFUSAL in message for message in messages_of(response))


def test_bulk_delete_of_other_pages_goes_on_as_before(
    client, branch_editor, registration, seed_pages
):
    theme = seed_pages[f"{BASIC}styrning-och-ledning/"]
    client.force_login(branch_editor)

    client.post(bulk_delete_url(theme))

    assert not Page.objects.filter(pk=theme.pk).exists()


def test_whoever_may_delete_submissions_may_delete_the_branch(
    client, admin_user, registration, seed_pages
):
    index = seed_pages[INDEX]
    client.force_login(admin_user)

    response = client.post(
        delete_url(index), {"confirm_site_name": "Toppolitikerprogrammen"}
    )

    assert response.status_code == 302
    assert not Page.objects.filter(pk=index.pk).exists()
    assert not InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_a_programme_manager_may_delete_a_form_page_and_its_submissions(
    client, manager, seed_pages
):
    contact = seed_pages[CONTACT_FORM]
    question = make_contact(contact, "Gun Gran")
    client.force_login(manager)

    assert delete_url(contact) in body(
        client.get(reverse("wagtailadmin_pages:edit", args=[contact.pk]))
    )
    client.post(delete_url(contact))

    assert not Page.objects.filter(pk=contact.pk).exists()
    assert not ContactSubmission.objects.filter(pk=question.pk).exists()
