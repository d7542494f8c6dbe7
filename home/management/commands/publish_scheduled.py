"""Wagtail's ``publish_scheduled``, run by one process at a time.

It replaces Wagtail's command of the same name (``home`` comes before
``wagtail`` in INSTALLED_APPS), so the cron job and every task worker take the
same lock: a due revision is published, purged and announced once.
"""

from wagtail.management.commands import publish_scheduled

from home.locking import held_alone

LOCK = "wagtail.publish_scheduled"


class Command(publish_scheduled.Command):
    help = (
        "Publicerar det som är schemalagt och avpublicerar det som har gått ut; "
        "en körning i taget, hur många arbetare som än startar den."
    )

    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)
        with held_alone(LOCK) as held:
            if not held:
                self.stdout.write("Another run is publishing: nothing done here.")
                return None
            return super().handle(*args, **options)
