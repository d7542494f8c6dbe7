"""Re-send e-mail that failed, or that was never queued, for stored submissions.

Also sends what waited too long in the queue (the worker was down: "pending"
older than ``--pending-after-minutes``) and the notifications skipped because the
form had no recipients, once it has some.

Safe to run from cron as often as you like: each delivery locks its submission
and skips messages already sent, so a run overlapping a worker sends nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from forms.models import (
    ContactFormPage,
    ContactSubmission,
    DeliveryState,
    InterestFormPage,
    InterestSubmission,
)
from forms.tasks import KINDS, NOTIFICATION, deliver, pages_with_recipients

# Each submission model and the form pages it belongs to.
FORMS = {InterestSubmission: InterestFormPage, ContactSubmission: ContactFormPage}


class Command(BaseCommand):
    help = (
        "Skickar om e-post för inskickade formulär där sändningen misslyckades "
        "eller aldrig köades. Säkert att köra från cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending-after-minutes",
            type=int,
            default=15,
            help="Skicka även det som väntat så här länge (aldrig köat). Standard 15.",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=20,
            help="Ge upp efter så här många försök per inskickat formulär (0: aldrig).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa bara vad som skulle skickas."
        )

    def handle(self, *args, pending_after_minutes, max_attempts, dry_run, **options):
        stale = timezone.now() - datetime.timedelta(minutes=pending_after_minutes)
        totals = {DeliveryState.SENT: 0, DeliveryState.FAILED: 0, "other": 0}
        for model in FORMS:
            for kind in KINDS:
                for pk in self.due(model, kind, stale, max_attempts):
                    if dry_run:
                        self.stdout.write(f"{model._meta.label} {pk}: {kind}")
                        continue
                    outcome = deliver(model, pk, kind)
                    totals[outcome if outcome in totals else "other"] += 1
        if dry_run:
            return
        self.stdout.write(
            f"{totals[DeliveryState.SENT]} skickade, "
            f"{totals[DeliveryState.FAILED]} misslyckades igen, "
            f"{totals['other']} behövde inte skickas."
        )

    def due(self, model, kind, stale, max_attempts):
        state_field = f"{kind}_state"
        failed = Q(**{state_field: DeliveryState.FAILED})
        # Never queued, or queued while no worker ran it.
        never_sent = Q(**{state_field: DeliveryState.PENDING, "submit_time__lt": stale})
        wanted = failed | never_sent
        if kind == NOTIFICATION:
            # Skipped for want of recipients, and the form has some now.
            wanted |= Q(
                notification_state=DeliveryState.SKIPPED,
                page_id__in=pages_with_recipients(FORMS[model]),
            )
        due = model.objects.filter(wanted)
        if max_attempts:
            due = due.filter(delivery_attempts__lt=max_attempts)
        return list(due.order_by("pk").values_list("pk", flat=True))
