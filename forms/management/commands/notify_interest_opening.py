"""Sends "Meddela mig när anmälan öppnar" once the interest form is open.

Safe to run from cron and run by the task worker once a minute: while the form
is closed it does nothing; once open, each confirmed address gets one e-mail
(queued for the worker) and is deleted, so a second run finds none.
"""

from django.core.management.base import BaseCommand

from forms.opening import notify_opening


class Command(BaseCommand):
    help = (
        "Skickar ett mejl till varje bekräftad adress i ”Meddela mig när anmälan "
        "öppnar” när intresseanmälan är öppen, och raderar sedan adressen."
    )

    def handle(self, *args, **options):
        count = notify_opening()
        self.stdout.write(f"Bevakningar att meddela: {count}")
