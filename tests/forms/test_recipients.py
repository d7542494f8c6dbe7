"""A form's e-mail recipients stay as the programme managers set them.

The communicators never see the recipients field, so nothing they do with the
page's revisions (revert, publish a draft, schedule an older version) may put
back older recipients: notifications would then go elsewhere, or nowhere.
"""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import querydict_from_html

import pytest

from forms.models import InterestFormPage
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

RECIPIENT = "programansvarig@skr.se"
PUBLISH = "action-publish"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def revert_url(page, revision):
    return reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk])


def send_admin_form(client, user, url, action=None, **changes):
    """Open the page's edit (or revert) form as ``user``, change fields, send it."""
    client.force_login(user)
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    for name, value in changes.items():
        assert name in data, f"{name} is not in {user}'s form"
        data[name] = value
    if action:
        data[action] = action
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


def stored(page):
    return InterestFormPage.objects.get(pk=page.pk)


@pytest.fixture
def history(client, editor, manager, interest_page):
    """A version without recipients, then the manager's with them: the old one."""
    send_admin_form(
        client, editor, edit_url(interest_page), PUBLISH, intro="Första versionen."
    )
    old = interest_page.revisions.order_by("-created_at", "-id").first()
    send_admin_form(
        client,
        manager,
        edit_url(interest_page),
        PUBLISH,
        intro="Andra versionen.",
        to_address=RECIPIENT,
    )
    assert stored(interest_page).to_address == RECIPIENT
    return old


def notified(mailoutbox):
    return [message.to for message in mailoutbox if message.to != ["anna@exempel.se"]]


def test_the_recipients_a_programme_manager_publishes_get_the_notifications(
    client, history, post, programs, mailoutbox
):
    client.logout()
    post(INTEREST_PATH, interest_data(programs))

    assert notified(mailoutbox) == [[RECIPIENT]]


def test_an_editors_revert_to_an_older_version_keeps_the_recipients(
    client, editor, interest_page, history, post, programs, mailoutbox
):
    send_admin_form(client, editor, revert_url(interest_page, history), PUBLISH)

    page = stored(interest_page)
    assert page.intro == "Första versionen."  # the revert itself took place
    assert page.to_address == RECIPIENT
    client.logout()
    post(INTEREST_PATH, interest_data(programs))
    assert notified(mailoutbox) == [[RECIPIENT]]


def test_an_editors_reverted_draft_published_later_keeps_the_recipients(
    client, editor, interest_page, history
):
    send_admin_form(client, editor, revert_url(interest_page, history))
    assert stored(interest_page).to_address == RECIPIENT

    send_admin_form(client, editor, edit_url(interest_page), PUBLISH)

    assert stored(interest_page).to_address == RECIPIENT


def test_a_scheduled_publish_of_an_older_version_keeps_the_recipients(
    client, editor, interest_page, history
):
    tomorrow = timezone.localtime() + timedelta(days=1)
    send_admin_form(
        client,
        editor,
        revert_url(interest_page, history),
        PUBLISH,
        go_live_at=tomorrow.strftime("%Y-%m-%d %H:%M"),
    )
    # A day passes: the scheduled moment is behind us.
    scheduled = interest_page.revisions.get(approved_go_live_at__isnull=False)
    moment = timezone.now() - timedelta(minutes=1)
    scheduled.approved_go_live_at = moment
    scheduled.content = {**scheduled.content, "go_live_at": moment.isoformat()}
    scheduled.save(update_fields=["approved_go_live_at", "content"])
    assert stored(interest_page).intro == "Andra versionen."

    call_command("publish_scheduled", verbosity=0)

    page = stored(interest_page)
    assert page.intro == "Första versionen."
    assert page.to_address == RECIPIENT


def test_an_editors_older_draft_published_keeps_recipients_set_meanwhile(
    client, editor, interest_page
):
    """Recipients set outside the admin (the seed, a shell) after the draft."""
    send_admin_form(client, editor, edit_url(interest_page), intro="Ett utkast.")
    InterestFormPage.objects.filter(pk=interest_page.pk).update(to_address=RECIPIENT)

    send_admin_form(client, editor, edit_url(interest_page), PUBLISH)

    page = stored(interest_page)
    assert page.intro == "Ett utkast."
    assert page.to_address == RECIPIENT


def test_a_programme_managers_draft_changes_the_recipients_at_once(
    client, manager, interest_page
):
    """The recipients are not content waiting for a publish: a draft that
    changes them changes them, so no later publish can undo it."""
    send_admin_form(client, manager, edit_url(interest_page), to_address=RECIPIENT)

    page = stored(interest_page)
    assert page.to_address == RECIPIENT
    assert page.has_unpublished_changes


def test_a_programme_manager_can_empty_the_recipients(
    client, manager, interest_page, recipients
):
    send_admin_form(client, manager, edit_url(interest_page), PUBLISH, to_address="")

    assert stored(interest_page).to_address == ""


def test_an_autosave_never_puts_half_typed_recipients_in_force(
    client, history, manager, interest_page
):
    """Autosave posts every pause in typing; "an@skr.se" on the way to
    "anna@skr.se" is a valid address that must not get a notification."""
    client.force_login(manager)
    html = client.get(edit_url(interest_page)).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["to_address"] = "an@skr.se"

    autosave = client.post(
        edit_url(interest_page), data, HTTP_ACCEPT="application/json"
    )

    assert autosave.status_code == 200 and autosave.json()["success"]
    assert stored(interest_page).to_address == RECIPIENT

    send_admin_form(client, manager, edit_url(interest_page), to_address="anna@skr.se")
    assert stored(interest_page).to_address == "anna@skr.se"
