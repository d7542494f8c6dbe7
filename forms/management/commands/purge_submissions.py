"""Deletes submissions older than their form page's retention period.

Safe to run from cron: no prompt, exit status 0, the same result when run twice.
It deletes in the database in batches of ``BATCH`` rows, each in a transaction
of its own: memory stays flat however many rows go, and a failure leaves the
batches already done deleted (the next run deletes the rest). It also forgets
spent verifications whose challenges have expired and the XLSX exports older
than ``EXPORT_RETENTION_HOURS``, the opening notice's addresses never
confirmed (forms.opening), and the log keeps no name of a purged sender
(forms.audit_log).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dateutil.relativedelta import relativedelta

from forms.audit_log import anonymise_log_entries_in_bulk
from forms.background_exports import purge_old_exports
from forms.models import ContactFormPage, InterestFormPage
from forms.opening import purge_unconfirmed
from forms.verification_store import purge_expired

FORM_PAGE_MODELS = (InterestFormPage, ContactFormPage)
BATCH = 1000


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
            exports = purge_old_exports()
            self.stdout.write(f"Gamla exporter: {exports} raderade")
            unconfirmed = purge_unconfirmed()
            self.stdout.write(f"Obekräftade bevakningar: {unconfirmed} raderade")

    def purge(self, page, cutoff, dry_run):
        old = page.get_submission_class().objects.filter(
            page=page, submit_time__lt=cutoff
        )
        if dry_run:
            return old.count()
        return delete_in_batches(old)


def delete_in_batches(queryset, batch=BATCH):
    """Delete what ``queryset`` selects, ``batch`` rows per transaction; how many.

    Only ids and references are read. The programme links go with one DELETE
    per batch, the submissions with another, and the log entries of the few
    that have any are relabelled in bulk: Django's ``delete()`` would load each
    row to send ``post_delete``, and relabel one row at a time.
    """
    model = queryset.model
    deleted = 0
    while True:
        with transaction.atomic():
            rows = dict(queryset.order_by().values_list("pk", "reference")[:batch])
            if not rows:
                return deleted
            anonymise_log_entries_in_bulk(model, rows)
            for field in model._meta.many_to_many:
                links = field.remote_field.through.objects
                links.filter(**{f"{field.m2m_field_name()}__in": rows}).delete()
            # Nothing else refers to a submission; the signal's work is done above.
            model.objects.filter(pk__in=list(rows))._raw_delete(queryset.db)
        deleted += len(rows)
