"""E-mail that waited: for a worker that was down, or for recipients to exist.

A submission stays "pending" while no worker runs its queued task; the cron
command sends it once it has waited long enough, and the task, when a worker
finally runs it, sends nothing twice. A notification "skipped" because the form
had no recipients is sent once the form has some: at once when the page is
published with them, else by the cron command. Never twice.
"""

import datetime
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import querydict_from_html

import pytest
from django_tasks import task_backends

from forms.models import DeliveryState, InterestSubmission
from forms.tasks import RECEIPT, deliver
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

pytestmark = pytest.mark.django_db

RECIPIENT = "programansvarig@exempel.se"


@pytest.fixture
def worker_down(settings):
    """A task backend that stores the queued tasks and never runs them."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    return task_backends["default"]


def run_queued_tasks(backend):
    """What a worker does when it comes back: run every queued task."""
    for result in list(backend.results):
        result.task.call(*result.args, **result.kwargs)


def retry():
    call_command("retry_failed_deliveries", stdout=io.StringIO())


def addressed(mailoutbox):
    return sorted(recipient for message in mailoutbox for recipient in message.to)


def backdate(minutes):
    InterestSubmission.objects.update(
        submit_time=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_a_submission_whose_task_never_ran_is_sent_by_the_retry_command_once(
    post, programs, recipients, worker_down, mailoutbox
):
    post(INTEREST_PATH, interest_data(programs))
    assert len(worker_down.results) == 2, "both messages were queued"
    retry()
    assert mailoutbox == [], "a fresh submission is left to the worker"

    backdate(minutes=20)
    retry()

    assert addressed(mailoutbox) == ["anna@exempel.se", recipients]
    submission = InterestSubmission.objects.get()
    assert submission.notification_state == DeliveryState.SENT
    assert submission.receipt_state == DeliveryState.SENT

    # The worker comes back and runs the queued tasks; cron runs again.
    run_queued_tasks(worker_down)
    retry()

    assert len(mailoutbox) == 2


def test_a_delivery_the_worker_made_is_not_sent_again_by_the_retry_command(
    post, programs, recipients, worker_down, mailoutbox
):
    post(INTEREST_PATH, interest_data(programs))
    run_queued_tasks(worker_down)
    assert addressed(mailoutbox) == ["anna@exempel.se", recipients]

    backdate(minutes=60)
    retry()
    run_queued_tasks(worker_down)

    assert len(mailoutbox) == 2


def test_a_skipped_notification_is_sent_by_the_retry_command_once_there_are_recipients(
    post, programs, interest_page, mailoutbox
):
    post(INTEREST_PATH, interest_data(programs))
    submission = InterestSubmission.objects.get()
    assert submission.notification_state == DeliveryState.SKIPPED
    retry()
    assert addressed(mailoutbox) == ["anna@exempel.se"], "no recipients, no notice"

    # Set without any signal, as a data migration or the shell would.
    type(interest_page).objects.filter(pk=interest_page.pk).update(to_address=RECIPIENT)
    retry()
    retry()

    assert addressed(mailoutbox) == ["anna@exempel.se", RECIPIENT]
    notification = next(m for m in mailoutbox if m.to == [RECIPIENT])
    assert "Anna Andersson" in notification.body
    submission.refresh_from_db()
    assert submission.notification_state == DeliveryState.SENT
    assert submission.receipt_state == DeliveryState.SENT


def test_publishing_recipients_sends_the_skipped_notifications_at_once_and_once(
    post, programs, interest_page, mailoutbox, django_capture_on_commit_callbacks
):
    post(INTEREST_PATH, interest_data(programs))
    post(INTEREST_PATH, interest_data(programs, email="bo@exempel.se"))
    assert mailoutbox and all(m.to != [RECIPIENT] for m in mailoutbox)
    mailoutbox.clear()

    interest_page.to_address = RECIPIENT
    with django_capture_on_commit_callbacks(execute=True):
        interest_page.save_revision().publish()

    assert [m.to for m in mailoutbox] == [[RECIPIENT], [RECIPIENT]]
    assert {m.reply_to[0] for m in mailoutbox} == {"anna@exempel.se", "bo@exempel.se"}
    assert set(
        InterestSubmission.objects.values_list("notification_state", flat=True)
    ) == {DeliveryState.SENT}

    # Publishing again, and the cron command, send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        interest_page.save_revision().publish()
    retry()
    assert len(mailoutbox) == 2


def test_recipients_not_stored_on_the_page_receive_nothing(
    post, programs, interest_page, mailoutbox, django_capture_on_commit_callbacks
):
    """Only the stored page's recipients count, not an unstored copy's."""
    post(INTEREST_PATH, interest_data(programs))
    mailoutbox.clear()

    interest_page.to_address = RECIPIENT
    with django_capture_on_commit_callbacks(execute=True):
        interest_page.save_revision()  # saves the page, but not its recipients
    retry()

    assert mailoutbox == []
    assert InterestSubmission.objects.get().notification_state == (
        DeliveryState.SKIPPED
    )


def test_recipients_published_in_the_admin_get_the_skipped_notifications_once(
    manager_client,
    post,
    programs,
    interest_page,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    post(INTEREST_PATH, interest_data(programs))
    mailoutbox.clear()
    edit_url = reverse("wagtailadmin_pages:edit", args=[interest_page.pk])
    data = querydict_from_html(
        manager_client.get(edit_url).content.decode(), form_id="page-edit-form"
    )
    data["to_address"] = RECIPIENT
    data["action-publish"] = "action-publish"

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(edit_url, data)

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[RECIPIENT]]
    retry()
    assert len(mailoutbox) == 1


def test_a_receipt_skipped_for_want_of_an_address_stays_skipped(
    post, programs, recipients, mailoutbox
):
    post(INTEREST_PATH, interest_data(programs))
    InterestSubmission.objects.update(email="", receipt_state=DeliveryState.SKIPPED)
    mailoutbox.clear()

    retry()
    outcome = deliver(InterestSubmission, InterestSubmission.objects.get().pk, RECEIPT)

    assert outcome == DeliveryState.SKIPPED
    assert mailoutbox == []
