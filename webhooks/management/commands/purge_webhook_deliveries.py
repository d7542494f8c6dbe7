"""Deletes webhook delivery log rows older than the retention (30 days).

Safe to run from cron: no prompt, the same result when run twice.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from webhooks.models import WebhookDelivery

RETENTION_DAYS = 30


class Command(BaseCommand):
    help = (
        "Raderar webbhookarnas leveranslogg som är äldre än "
        f"{RETENTION_DAYS} dagar. Med --dry-run visas bara antalet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle raderas utan att radera något.",
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - datetime.timedelta(days=RETENTION_DAYS)
        old = WebhookDelivery.objects.filter(created_at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"Webbhookleveranser: {old.count()} skulle raderas")
            return
        count, _ = old.delete()
        self.stdout.write(f"Webbhookleveranser: {count} raderade")
