import re

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from rest_framework import serializers

from ..headless_preview import HeadlessPreviewMixin
from ..page_permissions import SitePagePermissionsMixin
from ..visibility import public
from .api_fields import editable
from .calendar import calendar_response
from .contacts import InformationOwnerMixin
from .intakes import Intake, IntakeSerializer
from .panels import IntakeListPanel, ThemeListPanel
from .snippets import ProgramFormatSerializer

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ProgramSummarySerializer(serializers.Serializer):
    """A programme as listed on the overview in the API; its own page has the rest."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    lead = serializers.CharField()
    duration_months = serializers.IntegerField()
    duration_text = serializers.CharField()


class ProgramIndexPage(
    SitePagePermissionsMixin, HeadlessPreviewMixin, InformationOwnerMixin, Page
):
    """The overview of all programmes: who they are for and how they work."""

    intro = models.TextField(
        _("ingress"),
        help_text=_("Vem programmen vänder sig till och vad SKR vill uppnå."),
    )
    approach = models.TextField(
        _("så arbetar vi"), blank=True, help_text=_("Hur programmen genomförs.")
    )
    program_format = models.ForeignKey(
        "programs.ProgramFormat",
        verbose_name=_("praktiska uppgifter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Gemensamma praktiska uppgifter som visas en gång på översikten."),
    )
    change_note = models.CharField(
        _("förbehåll om innehållet"),
        max_length=255,
        blank=True,
        help_text=_("T.ex. att innehållet kan förändras utifrån gruppens behov."),
    )

    template = "pages/program_index_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("approach"),
        FieldPanel("program_format"),
        FieldPanel("change_note"),
        InformationOwnerMixin.information_owners_panel,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("approach"),
    ]
    api_fields = [
        *editable("intro", "approach"),
        APIField("program_format", serializer=ProgramFormatSerializer(read_only=True)),
        APIField("change_note", writable=True),
        APIField(
            "programs", serializer=ProgramSummarySerializer(many=True, read_only=True)
        ),
        InformationOwnerMixin.information_owners_api_field,
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["programs.ProgramPage", "forms.InterestFormPage"]
    # The programmes in the order readers meet them.
    admin_default_ordering = "ord"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("programöversikt")
        verbose_name_plural = _("programöversikter")

    @cached_property
    def programs(self):
        return list(
            ProgramPage.objects.child_of(self)
            .listed()
            .only(
                "id",
                "title",
                "slug",
                "url_path",
                "lead",
                "duration_text",
                "duration_months",
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programs"] = self.programs
        return context


class ThemePage(
    SitePagePermissionsMixin, HeadlessPreviewMixin, InformationOwnerMixin, Page
):
    """One theme of a programme; its place among its siblings is its reading order."""

    description = RichTextField(_("beskrivning"), features=RICH_TEXT_FEATURES)

    template = "pages/theme_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        InformationOwnerMixin.information_owners_panel,
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    api_fields = [
        APIField("description", writable=True),
        InformationOwnerMixin.information_owners_api_field,
    ]

    parent_page_types = ["programs.ProgramPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Both programmes have themes with the same titles: the programme's name
        # keeps each theme page's <title> unique, and its back link uses it too.
        context["programme"] = self.get_parent()
        context["siblings"] = list(
            public(self.get_siblings().live()).only(*THEME_LINK_FIELDS)
        )
        return context


# What a theme page shows of its siblings: their titles and links.
THEME_LINK_FIELDS = ("id", "title", "slug", "url_path", "path", "depth")
# What a programme page shows of each theme: its title, link and description.
THEME_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "description")


class ThemeSerializer(serializers.ModelSerializer):
    """The themes as they appear inside their programme in the API."""

    class Meta:
        model = ThemePage
        fields = ["id", "title", "slug", "description"]


class ListedPageQuerySet(PageQuerySet):
    def listed(self):
        """What readers are shown: live, public pages in the editors' tree order."""
        return public(self.live()).order_by("path")


class ProgramPage(
    SitePagePermissionsMixin,
    HeadlessPreviewMixin,
    RoutablePageMixin,
    InformationOwnerMixin,
    Page,
):
    """One leadership programme with its themes (child pages) and intakes.

    Its routes serve the calendar files: ``kalender.ics`` with every intake's
    sessions (a feed to subscribe to) and ``kalender/<year>.ics`` for one intake.
    """

    objects = PageManager.from_queryset(ListedPageQuerySet)()

    short_title = models.CharField(
        _("kortnamn"),
        max_length=20,
        blank=True,
        help_text=_(
            "Förkortning som visas i inkorgen för intresseanmälningar, t.ex. "
            "'TPP'. Utan kortnamn visas hela titeln."
        ),
    )
    lead = models.TextField(
        _("ingress"), help_text=_("Kort beskrivning överst på sidan.")
    )
    goal = models.TextField(
        _("mål"), blank=True, help_text=_("Vad programmet ska ge deltagaren.")
    )
    audience = models.TextField(
        _("vem programmet är för"),
        blank=True,
        help_text=_("Förkunskaper och vilka uppdrag programmet vänder sig till."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("längd i månader"),
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Används för sortering och i API:t."),
    )
    duration_text = models.CharField(
        _("längd som den visas"),
        max_length=50,
        help_text=_("T.ex. '6 månader' eller 'drygt 7 månader'."),
    )
    program_format = models.ForeignKey(
        "programs.ProgramFormat",
        verbose_name=_("praktiska uppgifter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programs",
    )
    themes_intro = models.CharField(
        _("inledning till teman"),
        max_length=255,
        blank=True,
        default="Programmet innehåller följande teman:",
        help_text=_(
            "Meningen före temana, t.ex. 'Programmet innehåller följande teman:'."
        ),
    )
    body = RichTextField(_("mer information"), blank=True, features=RICH_TEXT_FEATURES)

    template = "pages/program_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("short_title"),
        FieldPanel("lead"),
        FieldPanel("goal"),
        FieldPanel("audience"),
        FieldRowPanel(
            [FieldPanel("duration_months"), FieldPanel("duration_text")],
            heading=_("Längd"),
        ),
        FieldPanel("program_format"),
        FieldPanel("themes_intro"),
        ThemeListPanel(heading=_("Teman")),
        FieldPanel("body"),
        IntakeListPanel(heading=_("Antagningar")),
        InformationOwnerMixin.information_owners_panel,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("goal"),
        index.SearchField("audience"),
        index.SearchField("body"),
    ]
    api_fields = [
        *editable("lead", "goal", "audience", "duration_months", "duration_text"),
        APIField("program_format", serializer=ProgramFormatSerializer(read_only=True)),
        APIField("body", writable=True),
        APIField(
            "intakes",
            serializer=IntakeSerializer(
                source="intake_list", many=True, read_only=True
            ),
        ),
        APIField("themes_intro", writable=True),
        APIField("themes", serializer=ThemeSerializer(many=True, read_only=True)),
        InformationOwnerMixin.information_owners_api_field,
    ]

    parent_page_types = ["programs.ProgramIndexPage"]

    @property
    def abbreviation(self):
        """What a crowded list shows for the programme: its short name, if any."""
        return self.short_title or self.title

    subpage_types = ["programs.ThemePage"]
    # The explorer lists the themes in their reading order, not by last change.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")

    @cached_property
    def themes(self):
        """The live themes in the editor's tree order, which is their reading order."""
        return list(
            ListedPageQuerySet(ThemePage).child_of(self).listed().only(*THEME_FIELDS)
        )

    @cached_property
    def change_note(self):
        """The overview's note that content may change, shown with the themes too."""
        if not self.path:
            return ""
        parent_path = self.path[: -self.steplen]
        notes = ProgramIndexPage.objects.filter(path=parent_path).values_list(
            "change_note", flat=True
        )
        return notes.first() or ""

    @cached_property
    def intake_list(self):
        """The intakes by year with their sessions and venues: two queries in all."""
        if not self.pk:  # an unsaved page in preview has no intakes yet
            return []
        return list(
            Intake.objects.filter(program=self, live=True)
            .order_by("year")
            .with_sessions()
        )

    @property
    def distinct_goal(self):
        """The goal, unless it only says again what the lead says.

        The seed's Toppolitikerprogrammet gives its goal inside the lead's own
        sentence ("… med målet att ge dig stöd …"); shown again under "Mål" it
        repeated the lead. A goal whose words, after its "Målet är", all stand
        in the lead in that order is left out.
        """
        goal = " ".join(self.goal.split())
        if not goal:
            return ""
        core = re.sub(r"^(målet\s+(är\s+)?)", "", goal.rstrip(". "), flags=re.I)
        if core and core.lower() in " ".join(self.lead.split()).lower():
            return ""
        return self.goal

    # Routable pages resolve their routes with a trailing slash; the public URLs
    # have none (cms.urls), so a calendar file's name ends in .ics.
    @path("kalender.ics/", name="calendar_feed")
    def calendar_feed(self, request):
        """Every intake's sessions: the feed a reader subscribes to."""
        return calendar_response(self, self.intake_list, "kalender.ics")

    @re_path(r"^kalender/(?P<year>\d{4})\.ics/$", name="intake_calendar")
    def intake_calendar(self, request, year):
        intakes = [intake for intake in self.intake_list if intake.year == int(year)]
        if not intakes:
            raise Http404
        return calendar_response(self, intakes, f"{self.slug}-{year}.ics")

    def get_cached_paths(self):
        """The page and its calendar files, for a CDN purge (frontend_cache)."""
        years = sorted(set(self.intakes.values_list("year", flat=True)))
        return ["/", "/kalender.ics", *(f"/kalender/{year}.ics" for year in years)]

    def calendar_url(self, request=None, year=None):
        """The feed's URL, or one intake's file when ``year`` is given."""
        if year is None:
            route = self.reverse_subpage("calendar_feed")
        else:
            route = self.reverse_subpage("intake_calendar", args=[str(year)])
        page_url = self.get_url(request)
        if not page_url:  # a new page in preview has no URL yet
            return ""
        return page_url + route.rstrip("/")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["change_note"] = self.change_note
        context["themes"] = self.themes
        context["calendar_feed_url"] = self.calendar_url(request)
        context["intakes"] = self.intake_list
        return context
