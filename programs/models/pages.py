from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from modelcluster.fields import ParentalKey
from rest_framework import serializers

from .contacts import InformationOwnerMixin
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


class ProgramIndexPage(InformationOwnerMixin, Page):
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
        APIField("intro"),
        APIField("approach"),
        APIField("program_format", serializer=ProgramFormatSerializer(read_only=True)),
        APIField("change_note"),
        APIField(
            "programs", serializer=ProgramSummarySerializer(many=True, read_only=True)
        ),
        InformationOwnerMixin.information_owners_api_field,
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["programs.ProgramPage", "forms.InterestFormPage"]
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


class ThemePage(InformationOwnerMixin, Page):
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
        APIField("description"),
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
        return context


class ThemeSerializer(serializers.ModelSerializer):
    """The themes as they appear inside their programme in the API."""

    class Meta:
        model = ThemePage
        fields = ["id", "title", "slug", "description"]


class ListedPageQuerySet(PageQuerySet):
    def listed(self):
        """What readers are shown: live, public pages in the editors' tree order."""
        return self.live().public().order_by("path")


class ProgramPage(InformationOwnerMixin, Page):
    """One leadership programme with its themes (child pages) and intakes."""

    objects = PageManager.from_queryset(ListedPageQuerySet)()

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
        FieldPanel("lead"),
        FieldPanel("goal"),
        FieldPanel("audience"),
        FieldRowPanel(
            [FieldPanel("duration_months"), FieldPanel("duration_text")],
            heading=_("Längd"),
        ),
        FieldPanel("program_format"),
        FieldPanel("themes_intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [InlinePanel("intakes", label=_("Antagning"))],
            heading=_("Antagningar"),
        ),
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
        APIField("lead"),
        APIField("goal"),
        APIField("audience"),
        APIField("duration_months"),
        APIField("duration_text"),
        APIField("program_format", serializer=ProgramFormatSerializer(read_only=True)),
        APIField("body"),
        APIField("intakes"),
        APIField("themes_intro"),
        APIField("themes", serializer=ThemeSerializer(many=True, read_only=True)),
        InformationOwnerMixin.information_owners_api_field,
    ]

    parent_page_types = ["programs.ProgramIndexPage"]
    subpage_types = ["programs.ThemePage"]

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")

    @cached_property
    def themes(self):
        """The live themes in the editor's tree order, which is their reading order."""
        return list(ListedPageQuerySet(ThemePage).child_of(self).listed())

    @cached_property
    def intake_list(self):
        return list(self.intakes.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = self.themes
        context["intakes"] = self.intake_list
        return context


class Intake(Orderable):
    """One year's intake of a programme and where it stands."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        INTEREST_OPEN = "interest_open", _("Intresseanmälan öppen")
        REGISTRATION_CLOSED = "registration_closed", _("Anmälan stängd")
        RUNNING = "running", _("Pågår")
        FINISHED = "finished", _("Avslutad")

    page = ParentalKey(ProgramPage, on_delete=models.CASCADE, related_name="intakes")
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.PLANNED
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]
    api_fields = [
        APIField("year"),
        APIField("status"),
        APIField(
            "status_display",
            serializer=serializers.CharField(source="get_status_display"),
        ),
        APIField("start_date"),
        APIField("end_date"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("antagning")
        verbose_name_plural = _("antagningar")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "year"], name="unique_intake_year_per_program"
            )
        ]

    def __str__(self):
        return f"{self.year}: {self.get_status_display()}"
