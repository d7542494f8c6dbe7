from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "admin"  # noqa: S105 (dev only: refused when DEBUG is off)


class Command(BaseCommand):
    help = "Skapar ett lokalt administratörskonto för utveckling (endast med DEBUG)."

    def handle(self, *args, **options):
        # A known password is only acceptable on a developer's own machine.
        if not settings.DEBUG:
            raise CommandError(
                "create_dev_admin körs bara med DEBUG=True (utveckling)."
            )
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME,
            defaults={
                "email": "admin@example.com",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        note = "" if created else " (fanns redan; lösenordet ändras inte)"
        self.stdout.write(
            f"Admin: http://127.0.0.1:8000/admin/ "
            f"användare: {USERNAME} lösenord: {PASSWORD}{note}"
        )
