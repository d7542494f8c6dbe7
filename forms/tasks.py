"""E-mail for stored submissions, sent as background tasks.

Each submission gets two messages, each with its own state on the submission: the
notification to the form's recipients (Reply-To the submitter) and a short receipt
to the submitter. A delivery holds the submission's row lock while it sends and
marks the state "sent" in the same transaction, so two workers, or a worker and
the ``retry_failed_deliveries`` command, never send the same message twice. If
the database goes away between the send and the commit, the delivery records
"sent" once it is back rather than sending again.

A failed send marks the state "failed" and, where the task backend can defer
(the database backend in production), queues a retry with growing delays. The
cron command picks up whatever is still failed or was never queued.

A notification "skipped" because its form had no recipients is not the end: once
the form page has recipients, saving it queues those notifications, and the cron
command sends any still skipped. Each is sent once, like any other message.
"""

import datetime
import logging
import smtplib
from time import sleep

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from django_tasks import task

from serving import metrics
from serving.log_format import current_request_id, request_id_as

from .models.submissions import EMPTY_ANSWER, DeliveryState, Verification

logger = logging.getLogger(__name__)

NOTIFICATION = "notification"
RECEIPT = "receipt"
KINDS = (NOTIFICATION, RECEIPT)
MAX_ATTEMPTS = 5
# Seconds to wait before attempt 2, 3, 4, 5.
BACKOFF = (60, 5 * 60, 30 * 60, 2 * 3600)
# ValueError: a message whose headers cannot be built (BadHeaderError, an address
# that will not encode) fails on its own instead of stopping the cron retry run,
# and with it every other submission's mail.
SEND_ERRORS = (smtplib.SMTPException, OSError, ValueError)
# Seconds a sent message waits for the database to record it (a restart).
MARK_SENT_PATIENCE = 120


def schedule_delivery(submission, request_id=None):
    """Queue both messages for a committed submission; never raise into a request.

    If queueing fails the submission stays "pending" and the cron command sends it.
    The task carries the request's id, so the worker's log lines about the
    messages name the request that stored the submission.
    """
    kinds = (NOTIFICATION,) if submission.awaits_review else KINDS
    if request_id is None:
        request_id = current_request_id.get()
    for kind in kinds:
        try:
            deliver_submission.enqueue(
                submission._meta.label, submission.pk, kind, 1, request_id=request_id
            )
        except DatabaseError:
            logger.exception("Could not queue %s for %s", kind, described(submission))


def described(submission):
    """A submission as logs name it: its reference, never a name or address."""
    return f"{submission._meta.label} {submission.pk} ({submission.reference})"


@task()
def deliver_submission(model_label, pk, kind, attempt=1, request_id=""):
    """Send one message of one submission; re-queue with backoff on failure."""
    with request_id_as(request_id or current_request_id.get()):
        outcome = deliver(apps.get_model(model_label), pk, kind)
        if outcome == DeliveryState.FAILED and attempt < MAX_ATTEMPTS:
            retry_later(model_label, pk, kind, attempt, request_id)
    return outcome


def retry_later(model_label, pk, kind, attempt, request_id=""):
    backend = deliver_submission.get_backend()
    if not backend.supports_defer:
        # An immediate backend would only fail again at once: leave it to cron.
        return
    delay = BACKOFF[min(attempt, len(BACKOFF)) - 1]
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    deliver_submission.using(run_after=run_after).enqueue(
        model_label, pk, kind, attempt + 1, request_id=request_id
    )


def deliver(model, pk, kind):
    """Send ``kind`` for submission ``pk`` unless already sent; return the state."""
    state_field = f"{kind}_state"
    sent = False
    try:
        with transaction.atomic():
            submission = (
                model.objects.select_for_update().select_related("page").filter(pk=pk)
            ).first()
            if submission is None:
                return None
            state = getattr(submission, state_field)
            if state in (DeliveryState.SENT, DeliveryState.NOT_WANTED):
                return state
            # "skipped" is tried again: the form may have recipients by now.
            message = build_message(submission, kind)
            if message is None:
                if state == DeliveryState.SKIPPED:
                    return state
                return mark(submission, state_field, DeliveryState.SKIPPED)
            try:
                message.send()
            except SEND_ERRORS as error:
                metrics.email_failures.labels(kind).inc()
                logger.warning(
                    "Sending %s for %s failed: %s",
                    kind,
                    described(submission),
                    type(error).__name__,
                )
                return mark(
                    submission,
                    state_field,
                    DeliveryState.FAILED,
                    error=f"{kind}: {type(error).__name__}: {error}"[:1000],
                )
            sent = True
            logger.info("Sent %s for %s", kind, described(submission))
            return mark(submission, state_field, DeliveryState.SENT)
    except DatabaseError:
        if not sent:
            raise
        # The message went out, then the database went away before "sent" was
        # committed. Sending it again would double it: record it once the
        # database answers instead.
        return mark_sent_when_database_returns(model, pk, state_field)


def mark_sent_when_database_returns(model, pk, state_field):
    """Record a message already sent, waiting out a database restart.

    Gives up after ``MARK_SENT_PATIENCE`` seconds (the task then goes back to the
    queue, and the message may be sent again: a duplicate is kept over a loss).
    """
    delay, waited = 0.5, 0.0
    while True:
        reconnect()
        try:
            return mark(model(pk=pk), state_field, DeliveryState.SENT)
        except DatabaseError:
            if waited >= MARK_SENT_PATIENCE:
                raise
            logger.warning(
                "Database away; %s for %s is sent, recording it", state_field, pk
            )
            sleep(delay)
            waited += delay
            delay = min(delay * 2, 5.0)


def reconnect():
    """Drop a connection the outage broke, so the next query opens a new one."""
    close_old_connections()


def mark(submission, state_field, state, error=""):
    updates = {state_field: state}
    if state != DeliveryState.SKIPPED:
        updates["delivery_attempts"] = F("delivery_attempts") + 1
    if state == DeliveryState.FAILED:
        updates["delivery_error"] = error
    type(submission).objects.filter(pk=submission.pk).update(**updates)
    return state


def build_message(submission, kind):
    page = submission.page.specific
    if kind == NOTIFICATION:
        return notification_message(submission, page)
    return receipt_message(submission, page)


def recipients(page):
    return addresses(page.to_address)


def addresses(to_address):
    return [address.strip() for address in to_address.split(",") if address.strip()]


def pages_with_recipients(page_model):
    """Ids of the form pages of this type whose stored recipients are not empty."""
    return [
        pk
        for pk, to_address in page_model.objects.exclude(to_address="").values_list(
            "pk", "to_address"
        )
        if addresses(to_address)
    ]


def queue_skipped_notifications(page_model, page_pk):
    """Queue the notifications skipped for want of recipients, if the page has
    recipients stored now. Returns how many were queued."""
    page = page_model.objects.filter(pk=page_pk).only("to_address").first()
    if page is None or not recipients(page):
        return 0
    submission_model = page.get_submission_class()
    skipped = submission_model.objects.filter(
        page_id=page_pk, notification_state=DeliveryState.SKIPPED
    ).values_list("pk", flat=True)
    queued = 0
    for pk in skipped:
        try:
            deliver_submission.enqueue(
                submission_model._meta.label, pk, NOTIFICATION, 1
            )
        except DatabaseError:
            logger.exception("Could not queue the notification for %s", pk)
            continue
        queued += 1
    return queued


def form_page_saved(sender, instance, raw=False, **kwargs):
    """post_save of a form page: once committed, send what waited for recipients.

    Reads the recipients stored on the page, not those of ``instance``: saving a
    revision saves a page object carrying the revision's values in memory, while
    notifications go to the stored page's recipients (as ``deliver`` reads them).
    """
    if raw:
        return
    transaction.on_commit(
        lambda: queue_skipped_notifications(sender, instance.pk), robust=True
    )


def sender(page):
    return page.from_address or settings.DEFAULT_FROM_EMAIL


def notification_message(submission, page):
    """The submitted fields for the form's recipients, answerable to the sender."""
    to = recipients(page)
    if not to:
        return None
    return EmailMessage(
        subject=notification_subject(submission, page),
        body=notification_body(submission, page),
        from_email=sender(page),
        to=to,
        reply_to=[submission.email] if submission.email else None,
    )


def notification_subject(submission, page):
    subject = page.subject or _("Nytt från formuläret %(form)s") % {
        "form": submission.form_title
    }
    if submission.awaits_review:
        return _("Ej verifierad: %(subject)s") % {"subject": subject}
    return subject


def notification_body(submission, page):
    sent = timezone.localtime(submission.submit_time)
    admin = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/"
    if submission.awaits_review:
        return unverified_notification_body(submission, page, sent, admin)
    return "\n".join(
        [
            _("Formulär: %(form)s") % {"form": submission.form_title},
            _("Skickat: %(time)s") % {"time": f"{sent:%Y-%m-%d %H:%M}"},
            _("Referens: %(reference)s") % {"reference": submission.reference},
            "",
            submission.answers_as_text(page.get_form_fields()),
            "",
            _("Alla inskickade uppgifter finns i administrationen: %(url)s")
            % {"url": admin},
        ]
    )


def unverified_notification_body(submission, page, sent, admin):
    """Tells the recipients that something waits for review, without its answers.

    Nobody proved to be a person when sending it, so what it says (links, text
    meant to look like SKR's) stays in the inbox, where a programme manager
    judges it, rather than landing in everyone's mailbox.
    """
    return "\n".join(
        [
            _("Formulär: %(form)s") % {"form": submission.form_title},
            _("Skickat: %(time)s") % {"time": f"{sent:%Y-%m-%d %H:%M}"},
            _("Referens: %(reference)s") % {"reference": submission.reference},
            "",
            _(
                "Det här formuläret skickades utan verifiering och väntar på "
                "granskning. Godkänn eller ta bort det under ”Ej verifierade” i "
                "administrationen: %(url)s"
            )
            % {"url": admin},
        ]
    )


def receipt_message(submission, page):
    """A thank-you that repeats what the person entered, says what happens next
    and, for a registration, links to where they can correct or withdraw it.

    Only for verified submissions: anyone could have typed the address of an
    unverified one, and the receipt would then go to a stranger.
    """
    if not submission.email or submission.verification != Verification.VERIFIED:
        return None
    return EmailMessage(
        subject=_("Vi har tagit emot ditt formulär: %(form)s")
        % {"form": submission.form_title},
        body=receipt_body(submission, page),
        from_email=sender(page),
        to=[submission.email],
    )


def receipt_body(submission, page):
    # Imported here: the self-service module reads the forms, which read the models.
    from .self_service import link_for
    from .thanks import what_happens_next

    entered = [
        f"{label}: {text}"
        for label, text in submission.answers(page.get_form_fields())
        if text != EMPTY_ANSWER
    ]
    lines = [
        _("Hej!"),
        "",
        _('Tack, vi har tagit emot det du skickade via formuläret "%(form)s".')
        % {"form": submission.form_title},
        _("Ditt referensnummer är %(reference)s. Ange det om du hör av dig till oss.")
        % {"reference": submission.reference},
        "",
        _("Det här skickade du:"),
        *entered,
        "",
        _("Vad händer nu"),
        what_happens_next(page, sent_for_year=getattr(submission, "intake_year", None)),
    ]
    if isinstance(submission, apps.get_model("forms", "InterestSubmission")):
        days = settings.SELF_SERVICE_MAX_AGE_DAYS
        lines += [
            "",
            _(
                "Se, rätta eller återkalla din intresseanmälan och ditt samtycke "
                "(länken gäller i %(days)s dagar, inget konto behövs):"
            )
            % {"days": days},
            link_for(submission),
        ]
    lines += [
        "",
        _("Det här är ett automatiskt meddelande."),
        "",
        _("Med vänliga hälsningar"),
        _("Sveriges Kommuner och Regioner (SKR)"),
    ]
    return "\n".join(lines) + "\n"
