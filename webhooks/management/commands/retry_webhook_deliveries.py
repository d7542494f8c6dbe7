"""Queues webhook deliveries that no worker tried when it should have.

The worker queues each retry itself; this catches what slipped through: an event
recorded while the queue was unreachable, a retry planned while tasks ran
immediately (dev), a worker that was down. Safe to overlap with the worker: an
attempt claims its delivery first, so nothing is sent twice at once.
"""

from django.core.management.base import BaseCommand

from webhooks.tasks import requeue_overdue


class Command(BaseCommand):
    help = (
        "Lägger webbhookleveranser som borde ha försökts (väntande, försenat nytt "
        "försök eller avbrutet försök) i kön igen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overdue-minutes",
            type=int,
            default=15,
            help="Hur länge en leverans får vänta innan den köas igen (15).",
        )

    def handle(self, *args, overdue_minutes=15, **options):
        queued = requeue_overdue(overdue_minutes)
        self.stdout.write(f"Webbhookleveranser köade: {queued}")
