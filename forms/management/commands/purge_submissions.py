"""Deletes submissions older than their form page's retention period.

Safe to run from cron: no prompt, exit status 0, the same result when run twice,
and one transaction per form page so a failure leaves the other pages' work done.
It also forgets spent verifications whose challenges have expired, and the log
keeps no name of a purged sender (forms.audit_log).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dateutil.relativedelta import relativedelta

from forms.models import ContactFormPage, InterestFormPage
from forms.verification_store import purge_expired

FORM_PAGE_MODELS = (InterestFormPage, ContactFormPage)


def retention_cutoff(now, months):
    """What was sent before this is purged: ``months`` calendar months ago (from
    31 May, 3 months back is the end of February)."""
    return now - relativedelta(months=months)


class Command(BaseCommand):
    help = (
        "Raderar inskickade formulär som är äldre än formulärsidans gallringstid "
        "(retention_months). Med --dry-run visas bara vad som skulle raderas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle raderas utan att radera något.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.localtime()
        total = 0
        for model in FORM_PAGE_MODELS:
            for page in model.objects.order_by("path"):
                count = self.purge(
                    page, retention_cutoff(now, page.retention_months), dry_run
                )
                total += count
                verb = "skulle raderas" if dry_run else "raderade"
                self.stdout.write(f"{page.title}: {count} {verb}")
        summary = (
            "skulle raderas (provkörning, inget raderat)" if dry_run else "raderade"
        )
        self.stdout.write(f"Totalt: {total} {summary}")
        if not dry_run:
            spent = purge_expired()
            self.stdout.write(f"Utgångna verifieringar: {spent} raderade")

    def purge(self, page, cutoff, dry_run):
        submission_model = page.get_submission_class()
        with transaction.atomic():
            old = submission_model.objects.filter(page=page, submit_time__lt=cutoff)
            if dry_run:
                return old.count()
            _, per_model = old.delete()
        return per_model.get(submission_model._meta.label, 0)
