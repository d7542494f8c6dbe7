from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
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

MANAGERS_GROUP = "Programansvariga"
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
INTEREST_YEAR = 2025
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
PRIVACY_BODY = """\
<p>När du gör en intresseanmälan till Toppolitikerprogrammen eller skriver till oss \
i kontaktformuläret behandlar Sveriges Kommuner och Regioner (SKR) de uppgifter du \
lämnar: ditt namn, din e-postadress och det du skriver i övrigt, till exempel \
telefonnummer, kommun eller region och roll.</p>
<h2>Varför vi behandlar uppgifterna</h2>
<p>Vi använder uppgifterna för att svara dig, ge dig information om programmen och \
planera kommande programomgångar. Vi använder dem inte till något annat.</p>
<h2>Rättslig grund</h2>
<p>Behandlingen grundar sig på ditt samtycke, som du lämnar när du skickar \
formuläret. Du kan när som helst ta tillbaka ditt samtycke.</p>
<h2>Hur länge vi sparar uppgifterna</h2>
<p>Uppgifterna raderas automatiskt 24 månader efter att du skickade formuläret.</p>
<h2>Vem som kan se uppgifterna</h2>
<p>Bara de som arbetar med programmen har tillgång till uppgifterna du skickar.</p>
<h2>Dina rättigheter</h2>
<p>Du har rätt att få veta vilka uppgifter vi har om dig, att få felaktiga \
uppgifter rättade och att få dina uppgifter raderade. Om du anser att vi behandlar \
dina uppgifter felaktigt kan du lämna klagomål till Integritetsskyddsmyndigheten \
(IMY).</p>
<h2>Kontakt</h2>
<p>Har du frågor om hur vi behandlar dina personuppgifter, eller vill du använda \
dina rättigheter, skriv till oss i formuläret Kontakta oss.</p>"""
ACCESSIBILITY_TITLE = "Tillgänglighetsredogörelse"
ACCESSIBILITY_BODY = """\
<p>Sveriges Kommuner och Regioner (SKR) står bakom den här webbplatsen. Vi vill att \
så många som möjligt ska kunna använda den. Här beskriver vi hur webbplatsen \
uppfyller lagen om tillgänglighet till digital offentlig service, kända brister \
och hur du kan rapportera problem till oss.</p>
<h2>Hur tillgänglig är webbplatsen?</h2>
<p>Webbplatsen är byggd för att uppfylla kraven i WCAG 2.1 på nivå AA.</p>
<h2>Kända brister</h2>
<p>Formulären har en automatisk verifiering som kontrollerar att det är en \
människa som skickar dem. Verifieringen kräver JavaScript.</p>
<h2>Rapportera brister</h2>
<p>Om något på webbplatsen inte fungerar för dig, berätta det för oss i formuläret \
Kontakta oss, så försöker vi rätta till det.</p>
<h2>Tillsyn</h2>
<p>Myndigheten för digital förvaltning (Digg) har tillsyn över lagen om \
tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi \
hanterar dina synpunkter kan du kontakta Digg.</p>"""
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
            owners = self.seed_contacts(seed, report)
            home = self.seed_home(owners, report)
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

    def seed_home(self, owners, report):
        """Put a HomePage at the site root, replacing Wagtail's placeholder page.

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
            children={"contact_person_links": contact_links(owners)},
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
                "themes_intro": program.themes_intro,
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
        """The privacy and accessibility pages, then the two forms that link to them.

        Form fields are created only with their page: once a form exists its
        fields are the communicators'.
        """
        privacy = ensure_page(
            home,
            ContentPage,
            "personuppgifter",
            {"title": PRIVACY_TITLE, "body": PRIVACY_BODY},
            report,
        )
        ensure_page(
            home,
            ContentPage,
            "tillganglighet",
            {"title": ACCESSIBILITY_TITLE, "body": ACCESSIBILITY_BODY},
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


def contact_links(people):
    return [PageContactPerson(person=person) for person in people]


def grant_form_editing(pages, report):
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


def field(model, label, field_type, *, autocomplete="", required=True, **extra):
    return model(
        label=label,
        field_type=field_type,
        autocomplete=autocomplete,
        required=required,
        **extra,
    )


def interest_fields(choice_label, model):
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


def contact_fields(model):
    return [
        field(model, "Namn", "singleline", autocomplete=Autocomplete.NAME),
        field(model, "E-postadress", "email", autocomplete=Autocomplete.EMAIL),
        field(model, "Meddelande", "multiline"),
        field(model, CONSENT_LABEL, "checkbox", help_text=CONSENT_HELP),
    ]
