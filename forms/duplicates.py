"""Registrations sent twice: found, merged or judged to be two.

Two registrations are duplicates when they share an address (any case, spaces
trimmed: ``EMAIL_KEY``) and an intake year, unless a manager has said "Inte en
dubblett" about the pair (``DuplicateDismissal``). Finding them is one EXISTS
per registration, read from the ``interest_email_year`` index, so a page of the
inbox costs one query for its flags however many registrations there are.

Merging keeps the newest registration (its answers are the person's latest
word), gives it every programme either chose, keeps the other's message in a
note, and deletes the other with an entry in Wagtail's log.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log

from .models import DuplicateDismissal, InterestSubmission, Note, SharedAddress
from .models.submissions import EMAIL_KEY, EMPTY_ANSWER

MERGE_ACTION = "forms.merge_duplicate"
DISMISS_ACTION = "forms.dismiss_duplicate"


def others_like(outer_pk="pk"):
    """Registrations sharing the outer row's address key and intake year, not
    dismissed as a pair with it. The outer queryset aliases ``email_key``."""
    dismissed = DuplicateDismissal.objects.filter(
        submission_id=OuterRef(OuterRef(outer_pk)), other_id=OuterRef("pk")
    )
    return (
        InterestSubmission.objects.alias(email_key=EMAIL_KEY)
        .filter(email_key=OuterRef("email_key"), intake_year=OuterRef("intake_year"))
        .exclude(email="")
        .exclude(pk=OuterRef(outer_pk))
        .filter(~Exists(dismissed))
    )


def with_duplicates(queryset):
    """``queryset`` narrowed to the registrations that have a duplicate: those
    of an address and year the database counts more than once
    (``SharedAddress``), then those of them not dismissed from all the others.
    The tally's few shared keys lead, each found in the address index, so the
    filter costs as many probes as there are duplicates, not registrations."""
    shared = SharedAddress.objects.filter(
        email_key=OuterRef("email_key"), intake_year=OuterRef("intake_year")
    )
    return (
        queryset.alias(email_key=EMAIL_KEY)
        .exclude(email="")
        .filter(Exists(shared))
        .filter(Exists(others_like()))
    )


def flagged(pks) -> set:
    """Which of ``pks`` have a duplicate: one query for a page of the list,
    an index probe per row."""
    rows = (
        InterestSubmission.objects.filter(pk__in=list(pks))
        .alias(email_key=EMAIL_KEY)
        .exclude(email="")
        .filter(Exists(others_like()))
    )
    return set(rows.values_list("pk", flat=True))


def duplicates_of(submission) -> list:
    """The registrations ``submission`` may be a duplicate of, newest first."""
    if not submission.email.strip():
        return []
    dismissed = DuplicateDismissal.objects.filter(
        submission=submission, other_id=OuterRef("pk")
    )
    return list(
        InterestSubmission.objects.alias(email_key=EMAIL_KEY)
        .filter(
            # Lowered by the database, as the index is: SQLite lowers only
            # ASCII, and Python's lower() would then miss "Öberg@…".
            email_key=Lower(Trim(Value(submission.email))),
            intake_year=submission.intake_year,
        )
        .exclude(pk=submission.pk)
        .filter(~Exists(dismissed))
        .order_by("-submit_time", "-pk")
    )


def dismiss(submission, other, user):
    DuplicateDismissal.dismiss(submission, other, user)
    log(
        submission,
        DISMISS_ACTION,
        user=user,
        data={"other": other.reference},
    )


def merge_note(removed, fields=None) -> str:
    sent = timezone.localtime(removed.submit_time).strftime("%Y-%m-%d %H:%M")
    message = removed.message_text(fields)
    text = _(
        "Sammanslagen med dubbletten %(reference)s, inskickad %(sent)s. "
        "Dess program: %(programs)s."
    ) % {
        "reference": removed.reference,
        "sent": sent,
        "programs": ", ".join(p.title for p in removed.programs.all()) or "–",
    }
    if message != EMPTY_ANSWER:
        text += "\n\n" + _("Dess meddelande: %(message)s") % {"message": message}
    return text


@transaction.atomic
def merge(first, second, user) -> InterestSubmission:
    """Merge two duplicates into the newer one; returns it."""
    kept, removed = sorted(
        (first, second), key=lambda row: (row.submit_time, row.pk), reverse=True
    )
    kept.programs.add(*removed.programs.all())
    Note.objects.create(submission=kept, author=user, text=merge_note(removed))
    # The other's notes are about the same person: they stay, on the one kept.
    Note.objects.filter(submission=removed).update(submission=kept)
    log(kept, MERGE_ACTION, user=user, data={"removed": removed.reference})
    removed.delete()
    return kept


def register_duplicate_log_actions(actions):
    actions.register_action(
        MERGE_ACTION,
        gettext_lazy("Slå ihop dubbletter"),
        gettext_lazy("Dubbletter sammanslagna"),
    )
    actions.register_action(
        DISMISS_ACTION,
        gettext_lazy("Inte en dubblett"),
        gettext_lazy("Markerad som inte en dubblett"),
    )
