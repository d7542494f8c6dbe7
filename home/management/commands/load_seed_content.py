import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from wagtail.models import GroupPagePermission, Page, Site

from forms.models import (
    ContactFormField,
    ContactFormPage,
    InterestFormField,
    InterestFormPage,
)
from forms.models.fields import PROGRAM_CHOICE, Autocomplete
from home.models import ContentPage, HomePage
from home.seed import (
    CREATED,
    SEED_FILE,
    SKIPPED,
    UNCHANGED,
    SeedContent,
    SeedFormatError,
    SeedProgram,
    SeedReport,
    ensure_object,
    ensure_page,
    load,
    read_html,
)
from programs.models import (
    ContactPerson,
    Intake,
    PageContactPerson,
    ProgramFormat,
    ProgramIndexPage,
    ProgramPage,
    Session,
    ThemePage,
    Venue,
)

MANAGERS_GROUP = "Programansvariga"
HOME_TITLE = "Ledarprogram för toppolitiker"
HOME_INTRO = (
    "SKR erbjuder två ledarprogram för kommun- och regionstyrelsens ordförande, "
    "oppositionsråd och heltidsarvoderade råd: Toppolitikerprogrammet och "
    "Toppolitikerprogrammet – Fortsättning."
)
INTEREST_YEAR = 2025
# The seed gives no closing date for 2025's interest; an intake open for interest
# must have one (programs.Intake.publishing_errors). It closes this long after
# the seed is loaded, and a later `make run` moves it on again while nobody has
# edited the intake, so the dev site's form is open on whatever day it runs.
SEED_INTEREST_DAYS = 365
SEED_INTEREST_MIN_DAYS_LEFT = 30
# The abbreviations the programme managers use for the programmes (issue 10); the
# seed text has none. The inbox shows them where a full title would not fit.
PROGRAM_SHORT_TITLES = {
    "Toppolitikerprogrammet": "TPP",
    "Toppolitikerprogrammet – Fortsättning": "TPP-F",
}
INTEREST_THANKS = (
    "Tack för din intresseanmälan! Vi har tagit emot den och SKR återkommer till dig."
)
CONTACT_INTRO = "Har du frågor om Toppolitikerprogrammen? Skriv till oss här."
CONTACT_THANKS = "Tack för ditt meddelande! Vi återkommer till dig så snart vi kan."
ROLES = [
    "Kommunstyrelsens ordförande",
    "Regionstyrelsens ordförande",
    "Oppositionsråd",
    "Heltidsarvoderat råd",
    "Annat",
]
PRIVACY_TITLE = "Så behandlar vi dina personuppgifter"
CONSENT_LABEL = "Jag samtycker till att SKR behandlar mina personuppgifter"
CONSENT_HELP = (
    "Hur vi behandlar uppgifterna står på sidan "
    "”Så behandlar vi dina personuppgifter”, som är länkad vid formuläret."
)
ACCESSIBILITY_TITLE = "Tillgänglighetsredogörelse"
# The seed names the venue only as "en kursgård i Stockholms området": no address.
SEED_VENUE = "Kursgård i Stockholmsområdet"


class Command(BaseCommand):
    help = "Bygger sidträdet från seedtexten. Säkert att köra flera gånger."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(SEED_FILE), help="Seedtextens sökväg."
        )

    def handle(self, *args: Any, source: str, **options: Any) -> None:
        try:
            seed = load(source)
        except (OSError, SeedFormatError) as error:
            raise CommandError(f"Kunde inte läsa seedtexten: {error}") from error
        report = SeedReport()
        with transaction.atomic():
            owners = self.seed_contacts(seed, report)
            home = self.seed_home(owners, report, seed.published)
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

    def seed_home(
        self, owners: list[ContactPerson], report: SeedReport, published=None
    ) -> Page:
        """Put a HomePage at the site root, replacing Wagtail's placeholder page.

        It is dated like every other seeded page (the seed's publishing date),
        not by the day the seed happened to be loaded.

        The seed's information owner is set here too, so every page of the site,
        the forms and text pages included, shows one by inheritance.
        """
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
                children={"contact_person_links": contact_links(owners)},
                published=published,
            )
            site = Site.objects.filter(is_default_site=True).first() or Site(
                is_default_site=True
            )
            # Absolute URLs (API html_url, sitemap) use the site's own address.
            public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
            site.hostname = public.hostname or "localhost"
            site.port = public.port or (443 if public.scheme == "https" else 80)
            site.root_page = home
            site.site_name = "Toppolitikerprogrammen"
            site.save()
            if placeholder is not None and placeholder.specific_class is Page:
                placeholder.delete()
        else:
            report.add(UNCHANGED, f"startsida '{home.title}'")
        return home

    def seed_contacts(
        self, seed: SeedContent, report: SeedReport
    ) -> list[ContactPerson]:
        return [
            ensure_object(
                ContactPerson,
                {"name": contact.name},
                {"job_title": contact.job_title},
                report,
            )
            for contact in seed.contacts
        ]

    def seed_index(
        self,
        seed: SeedContent,
        home: Page,
        owners: list[ContactPerson],
        report: SeedReport,
    ) -> Page:
        facts = seed.program_format
        self.published = seed.published
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
            children={"contact_person_links": contact_links(owners)},
            published=seed.published,
        )

    def seed_program(
        self, program: SeedProgram, index: Page, report: SeedReport
    ) -> None:
        page = ensure_page(
            index,
            ProgramPage,
            slugify(program.title),
            {
                "title": program.title,
                "short_title": PROGRAM_SHORT_TITLES.get(program.title, ""),
                "lead": program.lead,
                "goal": program.goal,
                "audience": program.audience,
                "duration_months": program.duration_months,
                "duration_text": program.duration_text,
                "themes_intro": program.themes_intro,
                "program_format": self.program_format,
            },
            report,
            published=self.published,
        )
        if not isinstance(page, ProgramPage):
            return
        self.seed_intakes(page, report)
        for theme in program.themes:
            ensure_page(
                page,
                ThemePage,
                slugify(theme.title),
                {
                    "title": theme.title,
                    "description": f"<p>{escape(theme.description)}</p>",
                },
                report,
                published=self.published,
            )

    def seed_intakes(self, page: ProgramPage, report: SeedReport) -> None:
        """The two intakes the seed describes, as it reads on any date.

        "2024 har startat upp och anmälan är stängd": the seed gives no session
        dates for 2024, so its status is set by hand (the override) rather than
        derived. "Nedan kan du göra en intresseanmälan till 2025": interest has
        been open since the page was published, closing ``SEED_INTEREST_DAYS``
        after loading, and four sessions whose dates are not yet set. Created
        only for a programme that has no intakes yet: once it has some, they
        are the editors' (only an unedited seed intake's closing is moved on).
        """
        if page.intakes.exists():
            self.keep_seed_interest_open(page, report)
            return
        facts = self.program_format
        venue = ensure_object(Venue, {"name": SEED_VENUE}, {}, report)
        running = Intake(program=page, year=2024, status_override=Intake.Status.RUNNING)
        running.save()
        upcoming = Intake(
            program=page,
            year=INTEREST_YEAR,
            interest_opens_at=timezone.make_aware(
                datetime.datetime.combine(self.published, datetime.time(0, 0))
            ),
            interest_closes_at=seed_interest_closes(),
        )
        upcoming.sessions = [
            Session(
                start_time=facts.start_time,
                end_time=facts.end_time,
                end_time_is_approximate=facts.end_time_is_approximate,
                evening_activity=facts.evening_activity,
                venue=venue,
            )
            for _ in range(facts.sessions)
        ]
        upcoming.save()
        for intake in (running, upcoming):
            report.add(CREATED, f"antagning '{intake}'")

    def keep_seed_interest_open(self, page: ProgramPage, report: SeedReport) -> None:
        """Moves an unedited seed intake's closing on when it is near or past."""
        intake = page.intakes.filter(year=INTEREST_YEAR).first()
        soon = timezone.now() + datetime.timedelta(days=SEED_INTEREST_MIN_DAYS_LEFT)
        closes = intake.interest_closes_at if intake else None
        if (
            intake is None
            or intake.revisions.exists()
            or intake.interest_opens_at is None
            or (closes is not None and closes > soon)
        ):
            report.add(UNCHANGED, f"antagningar för '{page.title}'")
            return
        intake.interest_closes_at = seed_interest_closes()
        intake.save(update_fields=["interest_closes_at"])
        report.add(
            "intresseanmälan förlängd",
            f"antagning '{intake}' stänger {intake.interest_closes_at:%Y-%m-%d}",
        )

    def seed_forms(
        self, seed: SeedContent, home: Page, index: Page, report: SeedReport
    ) -> None:
        """The privacy and accessibility pages, then the two forms that link to them.

        Form fields are created only with their page: once a form exists its
        fields are the communicators'.
        """
        privacy = ensure_page(
            home,
            ContentPage,
            "personuppgifter",
            {"title": PRIVACY_TITLE, "body": read_html("personuppgifter")},
            report,
        )
        ensure_page(
            home,
            ContentPage,
            "tillganglighet",
            {"title": ACCESSIBILITY_TITLE, "body": read_html("tillganglighet")},
            report,
        )
        privacy_id = privacy.pk if isinstance(privacy, ContentPage) else None
        interest = None
        if isinstance(index, ProgramIndexPage):
            form = seed.interest_form
            interest = ensure_page(
                index,
                InterestFormPage,
                "intresseanmalan",
                {
                    "title": form.title,
                    "intro": "\n\n".join(form.intro),
                    "intake_year": INTEREST_YEAR,
                    "not_open_text": f"{form.title} har inte öppnat ännu.",
                    "closed_text": f"{form.title} är stängd.",
                    "thank_you_text": INTEREST_THANKS,
                    "privacy_page_id": privacy_id,
                },
                report,
                children={
                    "form_fields": interest_fields(form.choice_label, InterestFormField)
                },
                published=seed.published,
            )
        contact = ensure_page(
            home,
            ContactFormPage,
            "kontakt",
            {
                "title": seed.contact_form_title,
                "intro": f"{seed.contact_form_name}\n\n{CONTACT_INTRO}",
                "thank_you_text": CONTACT_THANKS,
                "privacy_page_id": privacy_id,
            },
            report,
            children={"form_fields": contact_fields(ContactFormField)},
        )
        grant_form_editing(
            [page for page in (interest, contact) if isinstance(page, Page)], report
        )


def contact_links(people: list[ContactPerson]) -> list[PageContactPerson]:
    return [PageContactPerson(person=person) for person in people]


def grant_form_editing(pages: list[Page], report: SeedReport) -> None:
    """Programme managers may edit the seeded forms: only they set recipients.

    The recipients field is shown to those who may read submissions, and the
    groups' migration runs before any form page exists, so the seed grants it.
    """
    managers = Group.objects.filter(name=MANAGERS_GROUP).first()
    if managers is None:
        return
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=["change_page", "publish_page"],
    )
    for page in pages:
        for permission in permissions:
            _, created = GroupPagePermission.objects.get_or_create(
                group=managers, page=page, permission=permission
            )
            if created:
                report.add(
                    CREATED, f"behörighet {permission.codename} på '{page.title}'"
                )


def field(
    model: type[Model],
    label: str,
    field_type: str,
    *,
    autocomplete: str = "",
    required: bool = True,
    **extra: Any,
) -> Model:
    return model(
        label=label,
        field_type=field_type,
        autocomplete=autocomplete,
        required=required,
        **extra,
    )


def seed_interest_closes() -> datetime.datetime:
    """Midnight ``SEED_INTEREST_DAYS`` from today: the seed's closing of interest."""
    day = timezone.localdate() + datetime.timedelta(days=SEED_INTEREST_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))


def interest_fields(choice_label: str, model: type[Model]) -> list[Model]:
    return [
        field(model, "Namn", "singleline", autocomplete=Autocomplete.NAME),
        field(model, "E-postadress", "email", autocomplete=Autocomplete.EMAIL),
        field(
            model,
            "Telefonnummer",
            "singleline",
            autocomplete=Autocomplete.TEL,
            required=False,
        ),
        field(
            model,
            "Kommun eller region",
            "singleline",
            autocomplete=Autocomplete.ORGANIZATION,
        ),
        field(
            model,
            "Roll",
            "radio",
            autocomplete=Autocomplete.ORGANIZATION_TITLE,
            choices="\n".join(ROLES),
        ),
        field(model, choice_label, PROGRAM_CHOICE),
        field(model, "Meddelande", "multiline", required=False),
        field(model, CONSENT_LABEL, "checkbox", help_text=CONSENT_HELP),
    ]


def contact_fields(model: type[Model]) -> list[Model]:
    return [
        field(model, "Namn", "singleline", autocomplete=Autocomplete.NAME),
        field(model, "E-postadress", "email", autocomplete=Autocomplete.EMAIL),
        field(model, "Meddelande", "multiline"),
        field(model, CONSENT_LABEL, "checkbox", help_text=CONSENT_HELP),
    ]
