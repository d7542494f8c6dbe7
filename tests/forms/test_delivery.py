"""E-mail after a submission: stored first, sent once, retried after failure."""

import io

from django.core import mail
from django.core.management import call_command
from django.db import OperationalError

import pytest
from django_tasks import task_backends

from forms import tasks
from forms.models import DeliveryState, InterestSubmission
from forms.tasks import NOTIFICATION, deliver, deliver_submission
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data, set_interest_window

pytestmark = pytest.mark.django_db

FAILING = "tests.forms.backends.FailingBackend"


def test_notification_goes_to_recipients_with_reply_to_the_submitter(
    post, programs, recipients, mailoutbox
):
    post(INTEREST_PATH, interest_data(programs))

    notification = next(m for m in mailoutbox if m.to == [recipients])
    assert notification.reply_to == ["anna@exempel.se"]
    assert "Anna Andersson" in notification.body
    assert "Exempelkommun" in notification.body
    assert programs[0].title in notification.body
    submission = InterestSubmission.objects.get()
    assert submission.notification_state == DeliveryState.SENT
    assert submission.receipt_state == DeliveryState.SENT
    assert submission.delivery_attempts == 2


def test_receipt_repeats_what_the_submitter_entered_and_what_happens_next(
    post, interest_page, programs, recipients, mailoutbox
):
    """Issue 17: the answers come back to the address they were sent from,
    only the ones filled in, with the date interest closes and the link to
    correct or withdraw the registration."""
    set_interest_window(2025, opens=-1, closes=20)
    post(INTEREST_PATH, interest_data(programs, tel=""))

    receipt = next(m for m in mailoutbox if m.to == ["anna@exempel.se"])
    assert interest_page.title in receipt.subject
    for entered in ("Anna Andersson", "Exempelkommun", "Jag vill veta mer."):
        assert entered in receipt.body
    assert programs[0].title in receipt.body
    # The phone was left empty: no "Telefonnummer: –" line.
    assert ": –" not in receipt.body
    assert "Vad händer nu" in receipt.body
    assert "Intresseanmälan för 2025 stänger den " in receipt.body
    assert "/min-anmalan/" in receipt.body
    assert "30 dagar" in receipt.body


def test_form_without_recipients_skips_the_notification(post, programs, mailoutbox):
    post(INTEREST_PATH, interest_data(programs))

    submission = InterestSubmission.objects.get()
    assert submission.notification_state == DeliveryState.SKIPPED
    assert [m.to for m in mailoutbox] == [["anna@exempel.se"]]


def test_smtp_failure_keeps_the_submission_and_marks_delivery_failed(
    post, settings, programs, recipients
):
    settings.EMAIL_BACKEND = FAILING

    response = post(INTEREST_PATH, interest_data(programs))

    assert response.status_code == 303, "the person still gets the thank-you page"
    submission = InterestSubmission.objects.get()
    assert submission.notification_state == DeliveryState.FAILED
    assert submission.receipt_state == DeliveryState.FAILED
    assert submission.delivery_attempts == 2
    assert "SMTPServerDisconnected" in submission.delivery_error


def test_retry_command_delivers_failed_mail_exactly_once(
    post, settings, programs, recipients
):
    settings.EMAIL_BACKEND = FAILING
    post(INTEREST_PATH, interest_data(programs))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []

    call_command("retry_failed_deliveries", stdout=io.StringIO())
    call_command("retry_failed_deliveries", stdout=io.StringIO())

    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@exempel.se",
        recipients,
    ]
    submission = InterestSubmission.objects.get()
    assert submission.notification_state == DeliveryState.SENT
    assert submission.receipt_state == DeliveryState.SENT
    assert submission.delivery_attempts == 4


def test_delivering_a_sent_message_again_sends_nothing(
    post, programs, recipients, mailoutbox
):
    post(INTEREST_PATH, interest_data(programs))
    sent = len(mailoutbox)

    submission = InterestSubmission.objects.get()
    assert deliver(InterestSubmission, submission.pk, NOTIFICATION) == "sent"

    assert len(mailoutbox) == sent


def test_failed_task_is_queued_again_later_on_a_deferring_backend(
    post, settings, programs, recipients
):
    post(INTEREST_PATH, interest_data(programs))
    submission = InterestSubmission.objects.get()
    InterestSubmission.objects.filter(pk=submission.pk).update(
        notification_state=DeliveryState.PENDING
    )
    settings.EMAIL_BACKEND = FAILING
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }

    deliver_submission.call("forms.InterestSubmission", submission.pk, NOTIFICATION)

    (retry,) = task_backends["default"].results
    assert retry.args[-1] == 2, "the next attempt"
    assert retry.task.run_after is not None


def test_retry_command_dry_run_sends_nothing(post, settings, programs, recipients):
    settings.EMAIL_BACKEND = FAILING
    post(INTEREST_PATH, interest_data(programs))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []

    call_command("retry_failed_deliveries", "--dry-run", stdout=io.StringIO())

    assert mail.outbox == []
    assert InterestSubmission.objects.get().notification_state == DeliveryState.FAILED


def test_retry_command_gives_up_after_the_maximum_attempts(
    post, settings, programs, recipients
):
    settings.EMAIL_BACKEND = FAILING
    post(INTEREST_PATH, interest_data(programs))
    InterestSubmission.objects.update(delivery_attempts=20)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []

    call_command("retry_failed_deliveries", stdout=io.StringIO())

    assert mail.outbox == []


def test_a_message_that_cannot_be_built_fails_alone_and_the_retry_goes_on(
    post, settings, programs, recipients
):
    """A line break in a stored address (a plain text field marked as e-mail by an
    editor) makes the headers unbuildable: that delivery fails, the cron run does
    not stop before everyone else's mail."""
    settings.EMAIL_BACKEND = FAILING
    post(INTEREST_PATH, interest_data(programs))
    post(INTEREST_PATH, interest_data(programs, email="bo@exempel.se"))
    broken, fine = InterestSubmission.objects.order_by("pk")
    InterestSubmission.objects.filter(pk=broken.pk).update(
        email="anna@exempel.se\nBcc: many@exempel.se"
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []

    call_command("retry_failed_deliveries", stdout=io.StringIO())

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.notification_state == DeliveryState.FAILED
    assert broken.receipt_state == DeliveryState.FAILED
    assert fine.notification_state == DeliveryState.SENT
    assert fine.receipt_state == DeliveryState.SENT
    assert ["bo@exempel.se"] in [m.to for m in mail.outbox]
    assert not any("many@exempel.se" in m.message().as_string() for m in mail.outbox)


def test_a_queue_that_fails_still_thanks_the_person_and_keeps_one_submission(
    post, programs, recipients, monkeypatch, mailoutbox
):
    """An error 500 after the commit would make the person send the form again."""

    def broken_queue(submission):
        raise RuntimeError("task backend misconfigured")

    monkeypatch.setattr("forms.submitting.schedule_delivery", broken_queue)

    response = post(INTEREST_PATH, interest_data(programs))

    assert response.status_code == 303
    submission = InterestSubmission.objects.get()
    assert submission.notification_state == DeliveryState.PENDING
    assert mailoutbox == []


@pytest.fixture
def database_restarts_after_the_send(monkeypatch):
    """The first attempt to record "sent" meets a database that has gone away."""
    original = tasks.mark
    failures = []

    def mark(submission, state_field, state, error=""):
        if state == DeliveryState.SENT and len(failures) < 3:
            failures.append(state_field)
            raise OperationalError(
                "terminating connection due to administrator command"
            )
        return original(submission, state_field, state, error)

    monkeypatch.setattr(tasks, "mark", mark)
    monkeypatch.setattr(tasks, "reconnect", lambda: None)
    monkeypatch.setattr(tasks, "sleep", lambda seconds: None)
    return failures


def test_a_message_sent_just_before_the_database_went_away_is_not_sent_again(
    settings, post, programs, recipients, mailoutbox, database_restarts_after_the_send
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post(INTEREST_PATH, interest_data(programs))
    submission = InterestSubmission.objects.get()

    outcome = deliver(InterestSubmission, submission.pk, NOTIFICATION)
    again = deliver(InterestSubmission, submission.pk, NOTIFICATION)

    assert outcome == again == DeliveryState.SENT
    assert database_restarts_after_the_send == ["notification_state"] * 3
    assert [m.to for m in mailoutbox] == [[recipients]]
    submission.refresh_from_db()
    assert submission.notification_state == DeliveryState.SENT
