"""Who may delete or move the form pages, and the pages above them.

Wagtail lets whoever may change and publish a page delete it, and treats a move
as a delete and an add. The programme managers may change and publish the two
form pages (the seed grants it, so that they set the recipients), the
communicators every page: before this, both could delete the form pages and
every submission with them, in the admin, in bulk and through the page actions.
Only a superuser deletes or moves a form page or a page whose branch holds one.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from wagtail.actions import CopyPageAction, DeletePageAction, MovePageAction
from wagtail.contrib.forms.models import FormMixin
from wagtail.models import GroupPagePermission, Page, get_page_models

import pytest

from forms.models import InterestSubmission
from programs.models import ProgramIndexPage
from programs.page_permissions import SitePagePermissionTester
from tests.factories import EDITORS, make_registration

HOME = "/"
INDEX = "/toppolitikerprogrammen/"
INTEREST_FORM = "/toppolitikerprogrammen/intresseanmalan/"
CONTACT_FORM = "/kontakt/"
THEME = "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/"
FORMS = [INTEREST_FORM, CONTACT_FORM]
# The two groups that may change and publish the form pages.
PEOPLE = ["manager", "editor"]


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
    """Somewhere else the interest form may stand by the tree's rules."""
    home = seed_pages[HOME]
    return home.add_child(
        instance=ProgramIndexPage(title="Ett annat program", slug="annat", intro="-")
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def delete_url(page):
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def move_url(page):
    return reverse("wagtailadmin_pages:move", args=[page.pk])


def move_confirm_url(page, destination):
    return reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk])


def bulk_url(action, *pages):
    query = urlencode({"next": "/admin/", "id": [page.pk for page in pages]}, True)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    return f"{url}?{query}"


def body(response):
    return response.content.decode()


def refused(response):
    """Wagtail's admin answers a refusal with its home page and a message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def still_there(*pages):
    return Page.objects.filter(pk__in=[page.pk for page in pages]).count() == len(pages)


# --- The admin's delete and move views ---------------------------------------------


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
@pytest.mark.parametrize("path", FORMS)
def test_no_manager_or_communicator_opens_a_form_pages_delete_view(
    person, seed_pages, path
):
    form = seed_pages[path]
    client = logged_in(person)

    assert refused(client.get(delete_url(form)))
    assert refused(client.post(delete_url(form)))
    assert still_there(form)


def test_a_communicator_cannot_delete_the_index_above_the_interest_form(
    branch_editor, seed_pages
):
    """Even one trusted with whole branches, and before anyone sent the form:
    deleting the index deletes the form with it."""
    index = seed_pages[INDEX]
    client = logged_in(branch_editor)

    assert refused(client.get(delete_url(index)))
    assert refused(
        client.post(delete_url(index), {"confirm_site_name": "Toppolitikerprogrammen"})
    )
    assert still_there(index, seed_pages[INTEREST_FORM])


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
@pytest.mark.parametrize("path", FORMS)
def test_no_manager_or_communicator_opens_a_form_pages_move_view(
    person, seed_pages, path
):
    assert refused(logged_in(person).get(move_url(seed_pages[path])))


def test_a_communicator_cannot_move_the_interest_form_to_another_index(
    editor, seed_pages, second_index
):
    form = seed_pages[INTEREST_FORM]

    response = logged_in(editor).post(move_confirm_url(form, second_index))

    assert refused(response)
    form.refresh_from_db()
    assert form.get_parent().pk == seed_pages[INDEX].pk


def test_a_communicator_still_deletes_and_moves_other_pages(editor, seed_pages):
    theme = seed_pages[THEME]
    client = logged_in(editor)

    assert client.get(move_url(theme)).status_code == 200
    assert client.get(delete_url(theme)).status_code == 200
    client.post(delete_url(theme))

    assert not Page.objects.filter(pk=theme.pk).exists()


def test_a_superuser_deletes_a_form_page_nobody_has_sent_anything_to(
    admin_user, seed_pages
):
    contact = seed_pages[CONTACT_FORM]
    client = logged_in(admin_user)

    assert client.get(delete_url(contact)).status_code == 200
    client.post(delete_url(contact))

    assert not Page.objects.filter(pk=contact.pk).exists()


def test_a_superuser_moves_the_interest_form(admin_user, seed_pages, second_index):
    form = seed_pages[INTEREST_FORM]
    client = logged_in(admin_user)

    assert client.get(move_url(form)).status_code == 200
    client.post(move_confirm_url(form, second_index))

    form.refresh_from_db()
    assert form.get_parent().pk == second_index.pk


# --- Bulk actions ------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
def test_no_manager_or_communicator_deletes_a_form_page_in_bulk(person, seed_pages):
    contact = seed_pages[CONTACT_FORM]
    client = logged_in(person)

    confirmation = client.get(bulk_url("delete", contact))
    client.post(bulk_url("delete", contact))

    assert "Yes, delete" not in body(confirmation)
    assert "Ja, radera" not in body(confirmation)
    assert still_there(contact)


def test_a_communicators_bulk_delete_leaves_the_index_above_a_form(
    branch_editor, seed_pages
):
    index = seed_pages[INDEX]

    logged_in(branch_editor).post(
        bulk_url("delete", index), {"confirm_site_name": "Toppolitikerprogrammen"}
    )

    assert still_there(index, seed_pages[INTEREST_FORM])


def test_a_communicator_cannot_move_the_interest_form_in_bulk(
    editor, seed_pages, second_index
):
    form = seed_pages[INTEREST_FORM]

    logged_in(editor).post(bulk_url("move", form), {"chooser": second_index.pk})

    form.refresh_from_db()
    assert form.get_parent().pk == seed_pages[INDEX].pk


def test_a_superuser_moves_the_interest_form_in_bulk(
    admin_user, seed_pages, second_index
):
    form = seed_pages[INTEREST_FORM]

    logged_in(admin_user).post(bulk_url("move", form), {"chooser": second_index.pk})

    form.refresh_from_db()
    assert form.get_parent().pk == second_index.pk


# --- The buttons -------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
@pytest.mark.parametrize("path", FORMS)
def test_no_delete_or_move_button_on_a_form_page_for_managers_or_communicators(
    person, seed_pages, path
):
    form = seed_pages[path]
    client = logged_in(person)
    listing = client.get(reverse("wagtailadmin_explore", args=[form.get_parent().pk]))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk]))

    assert listing.status_code == edit.status_code == 200
    for response in (listing, edit):
        assert delete_url(form) not in body(response)
        assert move_url(form) not in body(response)


@pytest.mark.parametrize("path", FORMS)
def test_a_superuser_sees_the_delete_and_move_buttons_on_a_form_page(
    admin_user, seed_pages, path
):
    form = seed_pages[path]
    listing = logged_in(admin_user).get(
        reverse("wagtailadmin_explore", args=[form.get_parent().pk])
    )
    assert delete_url(form) in body(listing)
    assert move_url(form) in body(listing)


# --- Wagtail's page actions, as the v3 API and the bulk actions call them ----------


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
@pytest.mark.parametrize("path", FORMS)
def test_the_delete_action_refuses_managers_and_communicators(person, seed_pages, path):
    form = seed_pages[path]
    registration = make_registration(seed_pages[INTEREST_FORM], "Anna Andersson")

    with pytest.raises(PermissionDenied):
        DeletePageAction(form, user=person).execute()

    assert still_there(form)
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_the_delete_action_refuses_a_branch_above_a_form(branch_editor, seed_pages):
    index = Page.objects.get(pk=seed_pages[INDEX].pk)  # as the API loads it: plain
    with pytest.raises(PermissionDenied):
        DeletePageAction(index, user=branch_editor).execute()
    assert still_there(index)


def test_the_move_action_refuses_a_communicator(editor, seed_pages, second_index):
    form = Page.objects.get(pk=seed_pages[INTEREST_FORM].pk)
    with pytest.raises(PermissionDenied):
        MovePageAction(form, second_index, pos="last-child", user=editor).execute()
    form.refresh_from_db()
    assert form.get_parent().pk == seed_pages[INDEX].pk


def test_the_actions_let_a_superuser_move_and_delete_a_form_page(
    admin_user, seed_pages, second_index
):
    form = seed_pages[INTEREST_FORM]
    MovePageAction(form, second_index, pos="last-child", user=admin_user).execute()
    DeletePageAction(Page.objects.get(pk=form.pk), user=admin_user).execute()
    assert not Page.objects.filter(pk=form.pk).exists()


# --- What stays allowed --------------------------------------------------------------


def test_a_communicator_still_reorders_the_contact_form_among_its_siblings(
    editor, seed_pages
):
    """Reordering leaves the page where it is: Wagtail's own rule applies."""
    contact, home = seed_pages[CONTACT_FORM], seed_pages[HOME]
    url = reverse("wagtailadmin_pages:set_page_position", args=[contact.pk])

    response = logged_in(editor).post(f"{url}?position=0")

    assert response.status_code == 200
    assert home.get_children().first().pk == contact.pk


def test_a_communicator_still_copies_the_interest_form(editor, seed_pages):
    """A copy is a new form page with the same fields and no submissions."""
    form = seed_pages[INTEREST_FORM]
    registration = make_registration(form, "Anna Andersson")

    copy = CopyPageAction(
        form, update_attrs={"slug": "kopia", "title": "Kopia"}, user=editor
    ).execute()

    assert copy.specific.form_fields.count() == form.form_fields.count()
    assert InterestSubmission.objects.get(pk=registration.pk).page_id == form.pk


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
@pytest.mark.parametrize("path", FORMS)
def test_managers_and_communicators_may_still_unpublish_a_form_page(
    person, seed_pages, path
):
    """Unpublishing takes a form offline and loses nothing: publishing undoes it."""
    form = seed_pages[path]
    client = logged_in(person)
    url = reverse("wagtailadmin_pages:unpublish", args=[form.pk])

    assert client.get(url).status_code == 200
    client.post(url)

    form.refresh_from_db()
    assert not form.live


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
@pytest.mark.parametrize("path", FORMS)
def test_managers_and_communicators_still_edit_and_publish_the_form_pages(
    person, seed_pages, path
):
    perms = seed_pages[path].permissions_for_user(person)
    assert perms.can_edit() and perms.can_publish()


def test_every_page_type_of_the_site_asks_the_same_tester(editor):
    """A new page type that forgot the mixin would let its branch be deleted."""
    for model in get_page_models():
        if model is Page:
            continue
        page = model(title="x", slug="x", path="00010099", depth=2)
        assert isinstance(page.permissions_for_user(editor), SitePagePermissionTester)
    assert any(issubclass(model, FormMixin) for model in get_page_models())
