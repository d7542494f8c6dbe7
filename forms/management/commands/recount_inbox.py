"""Checks, and if asked recounts, the tallies the inbox reads its numbers from.

The database's triggers keep them in step with every write, so a check should
always find nothing; it is here for an operator who restored a table by hand
or doubts a number. ``--check`` changes nothing and exits with 1 on a
difference, for a monitoring job.
"""

from django.core.management.base import BaseCommand, CommandError

from forms import tally

NAMES = {
    "inbox": "per filter",
    "programmes": "per program",
    "addresses": "per adress",
    "shared": "delade adresser",
}


class Command(BaseCommand):
    help = (
        "Jämför inkorgens räkningar med intresseanmälningarna och räknar om dem. "
        "--check: bara jämför, avsluta med 1 vid skillnad."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Ändra ingenting; avsluta med felkod 1 om räkningarna skiljer sig.",
        )

    def handle(self, *args, check=False, **options):
        found = tally.differences()
        for name, wrong in found.items():
            self.stdout.write(
                f"Räkningen {NAMES[name]}: {len(wrong)} rader stämmer inte."
            )
        if not found:
            self.stdout.write("Räkningarna stämmer med intresseanmälningarna.")
            return
        if check:
            raise CommandError(
                "Räkningarna skiljer sig; kör utan --check för att rätta dem."
            )
        tally.rebuild()
        self.stdout.write("Räkningarna är omräknade från intresseanmälningarna.")
