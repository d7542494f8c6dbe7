"""Fills the database with made-up registrations and contact requests.

For scale benchmarks (``make bench-scale`` stores 100,000) and tests; never run
it against a database with real people's submissions in it, which is why it
asks for ``--yes`` unless the settings are the test or benchmark ones.
"""

from django.core.management.base import BaseCommand, CommandError

from devtools.sample_submissions import generate_contacts, generate_registrations
from forms.models import ContactFormPage, InterestFormPage
from programs.models import ProgramPage


class Command(BaseCommand):
    help = (
        "Skapar påhittade intresseanmälningar (och kontaktförfrågningar) i mängd, "
        "för belastningsmätningar och tester. Bara för test- och mätdatabaser."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="Antal intresseanmälningar.")
        parser.add_argument(
            "--contacts",
            type=int,
            default=None,
            help="Antal kontaktförfrågningar (standard: en tiondel av count).",
        )
        parser.add_argument(
            "--years",
            type=float,
            default=4.0,
            help="Inskickade jämnt fördelat över så många år bakåt (standard 4).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Slumpfrö.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Bekräfta att databasen bara används för test.",
        )

    def handle(self, *args, count, contacts, years, seed, yes, **options):
        if not yes:
            raise CommandError(
                "Kommandot skapar påhittade anmälningar. Kör det bara mot en "
                "test- eller mätdatabas, och bekräfta med --yes."
            )
        if count < 0 or (contacts is not None and contacts < 0) or years <= 0:
            raise CommandError("Antal måste vara 0 eller mer och --years över 0.")
        interest = InterestFormPage.objects.order_by("path").first()
        contact = ContactFormPage.objects.order_by("path").first()
        if interest is None or contact is None:
            raise CommandError(
                "Det finns inget intresse- eller kontaktformulär; kör först "
                "load_seed_content."
            )
        programs = list(ProgramPage.objects.live().order_by("path"))
        contacts = count // 10 if contacts is None else contacts
        made = generate_registrations(interest, programs, count, years=years, seed=seed)
        asked = generate_contacts(contact, contacts, years=years, seed=seed)
        self.stdout.write(
            f"{made} intresseanmälningar och {asked} kontaktförfrågningar skapade."
        )
