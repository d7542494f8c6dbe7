"""Print a preview token for a page's latest revision, as the admin's preview
would send it to HEADLESS_PREVIEW_URL: for building and testing a front-end's
preview route without the admin."""

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Page

from programs.headless_preview import make_preview_token


class Command(BaseCommand):
    help = "Skriv ut en förhandsvisningsnyckel för sidans senast sparade utkast."

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int, help="Sidans id.")

    def handle(self, *args, page_id, **options):
        page = Page.objects.filter(pk=page_id).first()
        if page is None or page.latest_revision_id is None:
            raise CommandError(f"Sidan {page_id} finns inte eller har inget utkast.")
        self.stdout.write(make_preview_token(page.pk, page.latest_revision_id))
