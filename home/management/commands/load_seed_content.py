from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify

from wagtail.models import Page, Site

from home.models import HomePage
from home.seed import SEED_FILE, SeedFormatError, load
from home.seeding import (
    CREATED,
    SKIPPED,
    UNCHANGED,
    SeedReport,
    ensure_object,
    ensure_page,
)
from programs.models import (
    ContactPerson,
    Intake,
    PageContactPerson,
    ProgramFormat,
    ProgramIndexPage,
    ProgramPage,
    ThemePage,
)

HOME_TITLE = "Ledarprogram för toppolitiker"
HOME_INTRO = (
    "SKR erbjuder två ledarprogram för kommun- och regionstyrelsens ordförande, "
    "oppositionsråd och heltidsarvoderade råd: Toppolitikerprogrammet och "
    "Toppolitikerprogrammet – Fortsättning."
)
PROGRAM_SLUGS = {
    "Toppolitikerprogrammet": "toppolitikerprogrammet",
    "Toppolitikerprogrammet – Fortsättning": "toppolitikerprogrammet-fortsattning",
}
THEME_SLUGS = {
    "Styrning och ledning": "styrning-och-ledning",
    "Samspel och kommunikation": "samspel-och-kommunikation",
    "Det politiska ledarskapet": "det-politiska-ledarskapet",
    "Demokrati och omvärlden": "demokrati-och-omvarlden",
}
# 2024 has started and is closed; interest is open for 2025 (the seed's own words).
SEED_INTAKES = [(2024, Intake.Status.RUNNING), (2025, Intake.Status.INTEREST_OPEN)]


def slugify_sv(title):
    return slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o"))


class Command(BaseCommand):
    help = "Bygger sidträdet från seedtexten. Säkert att köra flera gånger."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(SEED_FILE), help="Seedtextens sökväg."
        )

    def handle(self, *args, source, **options):
        try:
            seed = load(source)
        except (OSError, SeedFormatError) as error:
            raise CommandError(f"Kunde inte läsa seedtexten: {error}") from error
        report = SeedReport()
        with transaction.atomic():
            home = self.seed_home(report)
            owners = self.seed_contacts(seed, report)
            index = self.seed_index(seed, home, owners, report)
            for program in seed.programs:
                self.seed_program(program, index, report)
            self.seed_forms(seed, home, index, report)
        for outcome, what in report.lines:
            style = self.style.WARNING if outcome == SKIPPED else self.style.SUCCESS
            self.stdout.write(style(f"{outcome}: {what}"))
        self.stdout.write(
            f"{report.count(CREATED)} skapade, {report.count(UNCHANGED)} oförändrade, "
            f"{report.count(SKIPPED)} överhoppade."
        )

    def seed_home(self, report):
        """Put a HomePage at the site root, replacing Wagtail's placeholder page."""
        root = Page.get_first_root_node()
        home = HomePage.objects.first()
        if home is None:
            placeholder = root.get_children().filter(slug="home").first()
            if placeholder is not None and placeholder.specific_class is Page:
                placeholder.slug = "placeholder-home"
                placeholder.save(update_fields=["slug"])
            home = ensure_page(
                root,
                HomePage,
                "home",
                {"title": HOME_TITLE, "intro": HOME_INTRO},
                report,
            )
            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                Site.objects.create(
                    hostname="localhost", port=80, root_page=home, is_default_site=True
                )
            else:
                site.root_page = home
                site.site_name = "Toppolitikerprogrammen"
                site.save()
            if placeholder is not None and placeholder.specific_class is Page:
                placeholder.delete()
        else:
            report.add(UNCHANGED, f"startsida '{home.title}'")
        return home

    def seed_contacts(self, seed, report):
        return [
            ensure_object(
                ContactPerson,
                {"name": contact.name},
                {"job_title": contact.job_title},
                report,
            )
            for contact in seed.contacts
        ]

    def seed_index(self, seed, home, owners, report):
        facts = seed.program_format
        self.program_format = ensure_object(
            ProgramFormat,
            {"name": "Gemensamt upplägg"},
            {
                "sessions": facts.sessions,
                "venue": facts.venue,
                "start_time": facts.start_time,
                "end_time": facts.end_time,
                "end_time_is_approximate": facts.end_time_is_approximate,
                "evening_activity": facts.evening_activity,
            },
            report,
        )
        return ensure_page(
            home,
            ProgramIndexPage,
            "toppolitikerprogrammen",
            {
                "title": seed.title,
                "intro": seed.intro,
                "approach": seed.approach,
                "program_format": self.program_format,
                "change_note": seed.change_note,
            },
            report,
            children={
                "contact_person_links": [
                    PageContactPerson(person=person) for person in owners
                ]
            },
            published=seed.published,
        )

    def seed_program(self, program, index, report):
        page = ensure_page(
            index,
            ProgramPage,
            PROGRAM_SLUGS.get(program.title, slugify_sv(program.title)),
            {
                "title": program.title,
                "lead": program.lead,
                "goal": program.goal,
                "audience": program.audience,
                "duration_months": program.duration_months,
                "duration_text": program.duration_text,
                "program_format": self.program_format,
            },
            report,
            children={
                "intakes": [
                    Intake(year=year, status=status) for year, status in SEED_INTAKES
                ]
            },
        )
        if not isinstance(page, ProgramPage):
            return
        for theme in program.themes:
            ensure_page(
                page,
                ThemePage,
                THEME_SLUGS.get(theme.title, slugify_sv(theme.title)),
                {
                    "title": theme.title,
                    "description": f"<p>{escape(theme.description)}</p>",
                },
                report,
            )

    def seed_forms(self, seed, home, index, report):
        """The form pages come with the forms app; nothing to seed until it has them."""
