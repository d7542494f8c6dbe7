"""The e-mails a manager chooses to send about a registration's status, and
the messages to a selection: rendered, logged, then sent by the task worker.

A message is rendered once, when the manager previews and sends it, and stored
in its log row (``SentEmail``); the worker sends exactly what was previewed. The
row's lock is held while it sends, so a message is never sent twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from django_tasks import task

from programs.models.calendar import build_calendar

from .models import DeliveryState, SentEmail, StatusEmailTemplate
from .tasks import SEND_ERRORS

logger = logging.getLogger(__name__)

BULK_TEMPLATE = "utskick"
CALENDAR_STATUS = "antagen"


def session_dates(intake):
    parts = []
    for session in intake.session_list():
        if not session.date:
            continue
        first = date_format(session.date, "j F Y")
        if session.days > 1:
            first = (
                f"{date_format(session.date, 'j')}–"
                f"{date_format(session.end_date, 'j F Y')}"
            )
        parts.append(first)
    return ", ".join(parts) or _("meddelas senare")


def session_venues(intake):
    venues = []
    for session in intake.session_list():
        if session.venue and session.venue.location not in venues:
            venues.append(session.venue.location)
    return "; ".join(venues) or _("meddelas senare")


def placeholders(submission, intake):
    """What each {placeholder} says for this registration and intake."""
    if intake is None:
        programs = ", ".join(program.title for program in submission.programs.all())
        return {
            "namn": submission.name or submission.email,
            "program": programs,
            "omgång": str(submission.intake_year),
            "datum": _("meddelas senare"),
            "plats": _("meddelas senare"),
        }
    return {
        "namn": submission.name or submission.email,
        "program": intake.program.title,
        "omgång": str(intake.year),
        "datum": session_dates(intake),
        "plats": session_venues(intake),
    }


def render(text, submission, intake):
    """``text`` with its placeholders filled in (validated when saved)."""
    return text.format_map(placeholders(submission, intake))


def status_template(status):
    return StatusEmailTemplate.objects.filter(status=status).first()


def prepare(submission, intake, template_name, subject, body, user):
    """The log row of one message, rendered and pending."""
    return SentEmail(
        submission=submission,
        intake=intake,
        template=template_name,
        subject=render(subject, submission, intake)[:255],
        body=render(body, submission, intake),
        attach_calendar=template_name == CALENDAR_STATUS and intake is not None,
        sent_by=user,
    )


def queue(emails):
    """Store the rows, and queue each for the worker once they are committed."""
    stored = SentEmail.objects.bulk_create(emails)
    pks = [email.pk for email in stored]

    def enqueue():
        for pk in pks:
            try:
                send_logged_email.enqueue(pk)
            except DatabaseError:
                logger.exception("Could not queue e-mail %s", pk)

    transaction.on_commit(enqueue)
    return stored


def message_for(email):
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.submission.email],
    )
    if email.attach_calendar and email.intake is not None:
        intake = email.intake
        calendar = build_calendar(intake.program, [intake]).to_ical()
        message.attach(
            f"{intake.program.slug}-{intake.year}.ics",
            calendar,
            "text/calendar",
        )
    return message


@task()
def send_logged_email(pk):
    """Send one logged e-mail unless it was sent; returns its state."""
    with transaction.atomic():
        email = (
            SentEmail.objects.select_for_update(of=("self",))
            .select_related("submission", "intake__program")
            .filter(pk=pk)
            .first()
        )
        if email is None or email.state == DeliveryState.SENT:
            return email and email.state
        if not email.submission.email:
            email.state = DeliveryState.SKIPPED
        else:
            try:
                message_for(email).send()
                email.state = DeliveryState.SENT
            except SEND_ERRORS as error:
                logger.warning("Sending e-mail %s failed: %s", pk, error)
                email.state = DeliveryState.FAILED
                email.error = f"{type(error).__name__}: {error}"[:1000]
        email.save(update_fields=["state", "error"])
        return email.state
