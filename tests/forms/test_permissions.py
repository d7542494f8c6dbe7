"""Who sees what: the groups the migration creates, against the submission views."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from forms.models import ContactFormPage, InterestFormPage, InterestSubmission
from tests.factories import make_contact, make_registration
from tests.forms.test_inbox import BASIC, CONTACT_FORM, CONTACTS, INBOX, INTEREST_FORM

PERSONAL_DATA = ("Anna Andersson", "anna@example.se", "Malmö stad", "Gun Gran")


@pytest.fixture
def submissions(seed_pages):
    anna = make_registration(
        seed_pages[INTEREST_FORM],
        "Anna Andersson",
        [seed_pages[BASIC]],
        organisation="Malmö stad",
    )
    gun = make_contact(seed_pages[CONTACT_FORM], "Gun Gran")
    return anna, gun


def submission_urls(anna, gun):
    return [
        INBOX,
        f"{INBOX}?export=csv",
        f"{INBOX}?export=xlsx",
        f"{INBOX}exporter/",
        f"{INBOX}?program=1&intake_year=2025&status__exact=ny",
        f"{INBOX}inspect/{anna.pk}/",
        f"{INBOX}status/{anna.pk}/",
        f"{INBOX}delete/{anna.pk}/",
        CONTACTS,
        f"{CONTACTS}?export=csv",
        f"{CONTACTS}inspect/{gun.pk}/",
    ]


def edit_view(client, page):
    return client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


def assert_no_personal_data(response):
    text = body(response)
    for value in PERSONAL_DATA:
        assert value not in text


def test_the_migration_creates_both_groups(db):
    editors = Group.objects.get(name="Redaktörer")
    managers = Group.objects.get(name="Programansvariga")
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    manager_perms = set(managers.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_programformat", "add_contactperson"} <= editor_perms
    assert not {perm for perm in editor_perms if perm.endswith("submission")}
    assert {
        "access_admin",
        "view_interestsubmission",
        "change_interestsubmission",
        "delete_interestsubmission",
        "view_contactsubmission",
    } <= manager_perms
    page_perms = editors.page_permissions.filter(page__depth=1)
    assert set(page_perms.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
        "publish_page",
    }
    # Managers edit only the form pages (granted by the seed), no content pages.
    manager_pages = {
        perm.page.specific_class for perm in managers.page_permissions.all()
    }
    assert manager_pages == {InterestFormPage, ContactFormPage}


def test_an_editor_gets_403_on_every_submission_view(editor_client, submissions):
    for url in submission_urls(*submissions):
        response = editor_client.get(url)
        assert response.status_code == 403, url
        assert_no_personal_data(response)


def test_an_editor_cannot_change_a_status(editor_client, submissions):
    anna, _ = submissions
    response = editor_client.post(f"{INBOX}status/{anna.pk}/", {"status": "antagen"})
    assert response.status_code == 403
    anna.refresh_from_db()
    assert anna.status == InterestSubmission.Status.NEW


def test_an_editor_cannot_delete_a_submission(editor_client, submissions):
    anna, _ = submissions
    assert editor_client.post(f"{INBOX}delete/{anna.pk}/").status_code == 403
    assert InterestSubmission.objects.filter(pk=anna.pk).exists()


def test_a_programme_manager_sees_every_submission_view(manager_client, submissions):
    anna, _ = submissions
    # The status form lives on the detail view; an XLSX file is built in the
    # background and offered on the exports page.
    redirects = {
        f"{INBOX}status/{anna.pk}/": f"{INBOX}inspect/{anna.pk}/",
        f"{INBOX}?export=xlsx": f"{INBOX}exporter/",
    }
    for url in submission_urls(*submissions):
        response = manager_client.get(url)
        if url in redirects:
            assert response.status_code == 302
            assert response.url == redirects[url]
        else:
            assert response.status_code == 200, url
    assert "Anna Andersson" in body(manager_client.get(f"{INBOX}?export=csv"))
    assert "Gun Gran" in body(manager_client.get(CONTACTS))


def test_an_editor_can_still_edit_a_programme_page(editor_client, seed_pages):
    response = edit_view(editor_client, seed_pages[BASIC])
    assert response.status_code == 200


def test_an_editor_can_edit_the_programme_snippets(editor_client):
    response = editor_client.get(reverse("wagtailsnippets_programs_programformat:list"))
    assert response.status_code == 200


def test_a_programme_manager_cannot_edit_content_pages(manager_client, seed_pages):
    response = edit_view(manager_client, seed_pages[BASIC])
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_an_editor_does_not_see_submissions_in_wagtails_forms_view(
    editor_client, submissions, seed_pages
):
    """Editing a form page would otherwise open its submissions in Wagtail's view."""
    form = seed_pages[INTEREST_FORM]
    response = editor_client.get(
        reverse("wagtailforms:list_submissions", args=[form.pk])
    )
    assert response.status_code == 302
    assert_no_personal_data(editor_client.get(response.url))
    forms_index = editor_client.get(reverse("wagtailforms:index"))
    assert form.title not in body(forms_index)


def test_the_home_panel_and_menu_are_only_for_programme_managers(
    editor_client, manager_client, submissions
):
    home = reverse("wagtailadmin_home")
    editor_home = body(editor_client.get(home))
    assert "Nya intresseanmälningar" not in editor_home
    assert INBOX not in editor_home
    manager_home = body(manager_client.get(home))
    assert "Nya intresseanmälningar" in manager_home
    assert INBOX in manager_home


@pytest.mark.parametrize("form_path", [INTEREST_FORM, CONTACT_FORM])
def test_an_editor_cannot_send_a_forms_submissions_to_themselves(
    editor_client, editor, seed_pages, form_path
):
    """The notification e-mail carries every answer, so its recipients are not
    the communicators' to choose."""
    page = seed_pages[form_path]
    edit = body(edit_view(editor_client, page))
    assert 'name="to_address"' not in edit
    form_class = page.get_edit_handler().get_form_class()
    assert "to_address" not in form_class(instance=page, for_user=editor).fields


def test_whoever_may_read_submissions_sets_the_recipients(admin_client, seed_pages):
    edit = body(edit_view(admin_client, seed_pages[INTEREST_FORM]))
    assert 'name="to_address"' in edit


def test_an_editor_sees_no_submission_count_on_the_form_page(
    editor_client, admin_client, submissions, seed_pages
):
    """Wagtail's panel shows how many submissions there are, when the latest came
    and links to them; that is for those who may read them."""
    form = seed_pages[INTEREST_FORM]
    submissions_url = reverse("wagtailforms:list_submissions", args=[form.pk])
    assert submissions_url not in body(edit_view(editor_client, form))
    assert submissions_url in body(edit_view(admin_client, form))


@pytest.mark.parametrize("path", [INTEREST_FORM, "/kontakt/"])
def test_a_programme_manager_edits_the_forms_and_sets_their_recipients(
    manager_client, seed_pages, path
):
    edit = edit_view(manager_client, seed_pages[path])
    assert edit.status_code == 200
    assert 'name="to_address"' in body(edit)
