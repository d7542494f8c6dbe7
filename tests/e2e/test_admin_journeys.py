"""A communicator and a programme manager at work in the real admin: a theme
edited, previewed, published and moved; a data-subject request exported and
erased. Each page met is checked with axe and photographed (admin_checks)."""

import json
import re

from wagtail.models import Page

import pytest

from forms.models import (
    ContactFormPage,
    DataSubjectAction,
    InterestFormPage,
    InterestSubmission,
)
from programs.models import ProgramPage, ThemePage
from tests.e2e.admin_checks import log_in, look_at
from tests.factories import (
    EDITORS,
    MANAGERS,
    make_contact,
    make_member,
    make_registration,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_TITLE = "Styrning och ledning i praktiken"


def test_communicator_edits_previews_publishes_and_reorders_themes(
    site, page, django_user_model
):
    make_member(django_user_model, "kim", EDITORS, password="hemligt-123")
    program = ProgramPage.objects.get(slug="toppolitikerprogrammet")
    theme = ThemePage.objects.child_of(program).get(slug="styrning-och-ledning")
    log_in(page, site, "kim")

    # Edit the theme and look at it in the preview before publishing.
    page.goto(f"{site}/admin/pages/{theme.pk}/edit/")
    look_at(page, "theme-edit")
    page.locator("#id_title").fill(NEW_TITLE)
    page.get_by_role("button", name="Växla förhandsgranskning").click()
    # Wagtail loads the preview in a second frame, then drops the first.
    preview = page.frame_locator("iframe.w-preview__iframe").last
    preview.get_by_role("heading", name=NEW_TITLE).wait_for()
    look_at(page, "theme-preview")
    assert ThemePage.objects.get(pk=theme.pk).title != NEW_TITLE

    # Publish: the public page shows the new title.
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="Publicera").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    look_at(page, "theme-published")
    theme.refresh_from_db()
    assert theme.title == NEW_TITLE and theme.live
    assert not theme.has_unpublished_changes

    # Reorder: move the first theme one place down, by keyboard.
    before = [t.title for t in ThemePage.objects.child_of(program).order_by("path")]
    page.goto(f"{site}/admin/pages/{program.pk}/?ordering=ord")
    look_at(page, "themes-reorder")
    handle = page.get_by_role("button", name=re.compile(r"^Dra objekt 1 av"))
    handle.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=har flyttats.")
    look_at(page, "themes-reordered")
    after = [t.title for t in ThemePage.objects.child_of(program).order_by("path")]
    assert after == [before[1], before[0], *before[2:]]


def test_programme_manager_exports_and_erases_what_is_stored_about_an_address(
    site, page, django_user_model
):
    make_member(django_user_model, "lena", MANAGERS, password="hemligt-123")
    form = InterestFormPage.objects.get()
    anna = make_registration(form, "Anna Andersson", email="anna@exempel.se")
    make_contact(ContactFormPage.objects.get(), "Anna Andersson")
    InterestSubmission.objects.filter(pk=anna.pk).update(email="anna@exempel.se")
    make_registration(form, "Bo Berg", email="bo@exempel.se")
    from forms.models import ContactSubmission

    ContactSubmission.objects.update(email="Anna@Exempel.se")

    log_in(page, site, "lena")
    page.get_by_role("link", name="Dataskyddsbegäran").click()
    look_at(page, "data-subject")
    page.get_by_label("E-postadress").fill("anna@exempel.se")
    page.locator("main").get_by_role("button", name="Sök").click()
    page.wait_for_selector("text=2 sparade uppgifter")
    look_at(page, "data-subject-found")

    with page.expect_download() as download:
        page.get_by_role("button", name="Exportera som fil (JSON)").click()
    document = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert [r["Referens"] for r in document["Intresseanmälningar"]] == [anna.reference]
    assert len(document["Kontaktförfrågningar"]) == 1

    page.get_by_role("button", name="Radera allt…").click()
    look_at(page, "data-subject-confirm")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Radera", exact=True).click()
    page.wait_for_selector("text=Raderat: 2 sparade uppgifter")
    look_at(page, "data-subject-erased")

    assert not InterestSubmission.objects.filter(email__iexact="anna@exempel.se")
    assert not ContactSubmission.objects.exists()
    assert InterestSubmission.objects.filter(name="Bo Berg").exists()
    kinds = list(
        DataSubjectAction.objects.order_by("acted_at").values_list("kind", flat=True)
    )
    assert kinds == ["search", "export", "erase"]
    assert Page.objects.filter(pk=form.pk).exists()
