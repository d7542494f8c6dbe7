"""A programme's year: its intake, the intake's sessions and where they are held.

An intake's public status is derived from its dates, so that no page can claim
"open" after the dates say otherwise; a communicator may still override it with
a notice (e.g. "Inställt") for what the dates cannot say.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PublishingPanel,
)
from wagtail.api import APIField
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin
from wagtail.search import index

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from rest_framework import serializers

from ..intake_form import IntakeAdminForm
from ..public_status import public_status_of
from .api_fields import editable
from .times import wall_clock_time

# Sessions are held in Sweden: their wall-clock times are Stockholm time whatever
# the server's zone, and the calendar files say so.
SESSION_TIME_ZONE = ZoneInfo("Europe/Stockholm")


class Venue(index.Indexed, models.Model):
    """A course venue, chosen by the sessions held there."""

    name = models.CharField(_("namn"), max_length=200)
    street_address = models.CharField(
        _("gatuadress"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tomt om adressen inte ska visas eller inte är känd."),
    )
    town = models.CharField(_("ort"), max_length=100, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("street_address"), FieldPanel("town")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("town"),
        index.AutocompleteField("name"),
    ]
    # Wagtail's v3 API (/api/v3/snippets/programs.Venue/, for token holders).
    api_fields = [
        *editable("name", "street_address", "town"),
    ]

    class Meta:
        verbose_name = _("kursgård")
        verbose_name_plural = _("kursgårdar")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def address(self):
        """Street address and town as one line, for pages and calendar files."""
        return ", ".join(part for part in (self.street_address, self.town) if part)

    @property
    def location(self):
        """Name and address as one line: a calendar event's LOCATION."""
        return ", ".join(part for part in (self.name, self.address) if part)


class IntakeStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    INTEREST_OPEN = "interest_open", _("Intresseanmälan öppen")
    INTEREST_CLOSED = "interest_closed", _("Intresseanmälan stängd")
    RUNNING = "running", _("Pågår")
    FINISHED = "finished", _("Avslutad")


# The order an intake's year moves through; an override is a claim about where
# in it the intake stands, and the dates overrule it once they are further on.
STATUS_ORDER = [
    IntakeStatus.PLANNED,
    IntakeStatus.INTEREST_OPEN,
    IntakeStatus.INTEREST_CLOSED,
    IntakeStatus.RUNNING,
    IntakeStatus.FINISHED,
]


def with_override(derived, override):
    """What readers are told: the override, until the dates have passed it.

    An override holds back or brings forward what the dates say only while
    the dates have not moved beyond it: "Intresseanmälan öppen" stops applying
    once interest closes by the dates, "Intresseanmälan stängd" (e.g. full)
    once the first session begins, "Pågår" once the last one has ended.
    """
    derived = IntakeStatus(derived)
    if not override:
        return derived
    override = IntakeStatus(override)
    if STATUS_ORDER.index(derived) > STATUS_ORDER.index(override):
        return derived
    return override


def derive_status(opens_at, closes_at, first_start, last_end, now):
    """The public status an intake's dates give at ``now``.

    Sessions decide once they have begun: from the first session's start the
    intake is running, after the last session's end it is finished. Before
    that the interest window decides: open from ``opens_at`` until
    ``closes_at`` (an open window with no closing time stays open), closed
    after ``closes_at``. Missing dates never claim more than they know: no
    opening time means interest has not been opened (planned, or closed once a
    closing time has passed), and undated sessions cannot make an intake run.
    """
    if first_start is not None and now >= first_start:
        if last_end is not None and now >= last_end:
            return IntakeStatus.FINISHED
        return IntakeStatus.RUNNING
    if closes_at is not None and now >= closes_at:
        return IntakeStatus.INTEREST_CLOSED
    if opens_at is not None and now >= opens_at:
        return IntakeStatus.INTEREST_OPEN
    return IntakeStatus.PLANNED


class StatusField(serializers.Field):
    """An intake's public status (``programs.public_status``, as the pages show
    it); the return type names the choices in the v3 API's schema (Wagtail
    types a computed field by it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value) -> IntakeStatus:
        return public_status_of(value, self.context.get("request"))


class IntakeQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: live intakes of live programmes."""
        return self.filter(live=True, program__live=True)

    def with_sessions(self):
        """Sessions and their venues in date order, undated last: one query more."""
        sessions = Session.objects.select_related("venue").order_by(
            models.F("date").asc(nulls_last=True), "sort_order"
        )
        return self.prefetch_related(models.Prefetch("sessions", queryset=sessions))


class Intake(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """One year's intake of a programme: the interest window and the sessions.

    A snippet of its own rather than an inline of the programme page, because
    Wagtail cannot nest its sessions inside a page inline reliably; the
    programme's edit view lists its intakes and links here. It has drafts like
    a page: a new year's intake (see ``programs.rollover``) is prepared out of
    sight and shown to readers only when an editor publishes it.
    """

    Status = IntakeStatus
    objects = IntakeQuerySet.as_manager()
    base_form_class = IntakeAdminForm

    program = models.ForeignKey(
        "programs.ProgramPage",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="intakes",
    )
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    interest_opens_at = models.DateTimeField(
        _("intresseanmälan öppnar"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt så länge intresseanmälan inte ska öppna."),
    )
    interest_closes_at = models.DateTimeField(
        _("intresseanmälan stänger"),
        null=True,
        blank=True,
        help_text=_(
            "Krävs för att publicera en antagning som tar emot "
            "intresseanmälningar. Visas som sista dag för intresseanmälan."
        ),
    )
    status_override = models.CharField(
        _("visa status"),
        max_length=32,
        choices=IntakeStatus.choices,
        blank=True,
        help_text=_(
            "Lämna tomt så räknas statusen fram ur datumen. Välj bara en status "
            "när datumen inte räcker, t.ex. Intresseanmälan stängd med "
            "meddelandet 'Fullbokat', eller Avslutad med 'Inställt'. Valet gäller "
            "tills datumen har passerat det: Intresseanmälan öppen slutar gälla "
            "när intresseanmälan stänger, Intresseanmälan stängd när den första "
            "träffen börjar och Pågår när den sista träffen har slutat."
        ),
    )
    dates_announced = models.CharField(
        _("datumen meddelas"),
        max_length=100,
        blank=True,
        help_text=_(
            "När träffarnas datum blir kända, t.ex. 'i januari 2026'. Visas som "
            "'Datum meddelas i januari 2026' så länge datumen saknas."
        ),
    )
    # Whole kronor: what readers are told, not an invoice.
    programme_fee = models.PositiveIntegerField(
        _("programavgift (kr)"),
        null=True,
        blank=True,
        help_text=_("Hela kronor per deltagare. Lämna tomt om den inte är bestämd."),
    )
    accommodation_cost = models.PositiveIntegerField(
        _("kost och logi (kr)"),
        null=True,
        blank=True,
        help_text=_(
            "Hela kronor per deltagare för alla träffar. Lämna tomt om den inte "
            "är bestämd."
        ),
    )
    prices_exclude_vat = models.BooleanField(
        _("priserna är exklusive moms"),
        default=False,
        help_text=_("Visar 'exkl. moms' efter beloppen."),
    )
    places = models.PositiveSmallIntegerField(
        _("antal platser"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Hur många som kan antas. Lämna tomt om antalet inte är bestämt: "
            "då hindras ingen antagning."
        ),
    )
    notice = models.CharField(
        _("meddelande till besökare"),
        max_length=255,
        blank=True,
        help_text=_("Visas vid antagningen, t.ex. 'Inställt' eller 'Fullbokat'."),
    )
    # Deleting an intake deletes its drafts too.
    _revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="intake",
        for_concrete_model=False,
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("program"), FieldPanel("year"), FieldPanel("places")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("interest_opens_at"), FieldPanel("interest_closes_at")]
                )
            ],
            heading=_("Intresseanmälan"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("programme_fee"), FieldPanel("accommodation_cost")]
                ),
                FieldPanel("prices_exclude_vat"),
            ],
            heading=_("Kostnad"),
        ),
        InlinePanel(
            "sessions",
            heading=_("Träffar"),
            label=_("Träff"),
            help_text=_("Programmets träffar i tidsordning."),
        ),
        FieldPanel("dates_announced"),
        MultiFieldPanel(
            [FieldPanel("status_override"), FieldPanel("notice")],
            heading=_("Avvikelse"),
        ),
        PublishingPanel(),
    ]
    search_fields = [
        index.FilterField("year"),
        index.SearchField("notice"),
        index.RelatedFields("program", [index.SearchField("title")]),
    ]
    # Wagtail's v3 API (/api/v3/snippets/programs.Intake/, for token holders);
    # pages show intakes through ProgramPage.intakes.
    api_fields = [
        *editable(
            "program",
            "year",
            "interest_opens_at",
            "interest_closes_at",
            "places",
            "status_override",
            "notice",
            "dates_announced",
            "programme_fee",
            "accommodation_cost",
            "prices_exclude_vat",
            "sessions",
        ),
        APIField("live"),
        APIField("status", serializer=StatusField(read_only=True)),
    ]

    class Meta:
        verbose_name = _("antagning")
        verbose_name_plural = _("antagningar")
        ordering = ["program", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"], name="unique_intake_year_per_program"
            )
        ]

    @property
    def revisions(self):
        return self._revisions

    def __str__(self):
        if not self.program_id:
            return str(self.year)
        return f"{self.program.title} {self.year}"

    def clean(self):
        super().clean()
        opens, closes = self.interest_opens_at, self.interest_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError(
                {"interest_closes_at": _("Stängningen måste komma efter öppningen.")}
            )

    def publishing_errors(self):
        """Field → Swedish error for what would make a published intake lie.

        An intake that takes interest (it has an opening time, or is set to
        show "Intresseanmälan öppen") needs a closing time: without one its
        pages would say "open" for ever, and readers would have no last day.
        Checked when publishing, so a draft may wait for its dates.
        """
        takes_interest = (
            self.interest_opens_at is not None
            or self.status_override == IntakeStatus.INTEREST_OPEN
        )
        if takes_interest and self.interest_closes_at is None:
            return {
                "interest_closes_at": _(
                    "Fyll i ”Intresseanmälan stänger”: en antagning som tar "
                    "emot intresseanmälningar kan inte publiceras utan ett datum "
                    "då intresseanmälan stänger."
                )
            }
        return {}

    def session_list(self):
        """The sessions in date order, undated last; prefetched by the page."""
        return sorted(
            self.sessions.all(),
            key=lambda s: (s.date is None, s.date or datetime.date.min, s.sort_order),
        )

    @property
    def dated_sessions(self):
        return [session for session in self.session_list() if session.date]

    def status_at(self, now):
        dated = self.dated_sessions
        return derive_status(
            self.interest_opens_at,
            self.interest_closes_at,
            dated[0].starts_at if dated else None,
            max(session.ends_at for session in dated) if dated else None,
            now,
        )

    @property
    def derived_status(self):
        return self.status_at(timezone.now())

    def shown_status_at(self, now):
        """What the intake itself says at ``now``: what the dates say, or the
        override until the dates pass it (``with_override``)."""
        return with_override(self.status_at(now), self.status_override)

    @property
    def status(self):
        return self.shown_status_at(timezone.now())

    def get_status_display(self):
        return IntakeStatus(self.status).label

    @admin.display(description=_("status"))
    def status_label(self):
        return self.get_status_display()

    @property
    def venues(self):
        """The venues of its sessions, each once, in session order."""
        found = []
        for session in self.session_list():
            if session.venue is not None and session.venue not in found:
                found.append(session.venue)
        return found

    @property
    def has_costs(self):
        return self.programme_fee is not None or self.accommodation_cost is not None

    @property
    def first_date(self):
        dated = self.dated_sessions
        return dated[0].date if dated else None

    @property
    def last_date(self):
        dated = self.dated_sessions
        return max(session.end_date for session in dated) if dated else None


def stockholm_moment(day, time):
    """A session's day and clock time as an aware moment; None for no day."""
    if day is None:
        return None
    return datetime.datetime.combine(day, time, tzinfo=SESSION_TIME_ZONE)


class Session(Orderable):
    """One session (träff) of an intake, usually two days at a course venue."""

    intake = ParentalKey(Intake, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(
        _("datum dag 1"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt tills datumet är bestämt."),
    )
    days = models.PositiveSmallIntegerField(
        _("antal dagar"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    start_time = models.TimeField(
        _("starttid"),
        validators=[wall_clock_time],
        default=datetime.time(10, 0),
        help_text=_("Första dagen."),
    )
    end_time = models.TimeField(
        _("sluttid"),
        validators=[wall_clock_time],
        default=datetime.time(13, 0),
        help_text=_("Sista dagen."),
    )
    end_time_is_approximate = models.BooleanField(
        _("sluttiden är ungefärlig"),
        default=True,
        help_text=_("Visar 'ca' före sluttiden."),
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("kursgård"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    evening_activity = models.BooleanField(_("kvällsaktivitet ingår"), default=True)
    # RFC 5545 SEQUENCE: calendars replace an event only when this grows, so it is
    # raised whenever the session moves, never typed in by an editor.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("days")]),
        FieldRowPanel(
            [
                FieldPanel("start_time"),
                FieldPanel("end_time"),
                FieldPanel("end_time_is_approximate"),
            ]
        ),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("evening_activity")]),
    ]
    api_fields = [
        *editable(
            "date",
            "days",
            "start_time",
            "end_time",
            "end_time_is_approximate",
            "venue",
            "evening_activity",
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")

    def __str__(self):
        return f"{self.date:%Y-%m-%d}" if self.date else str(_("Datum ej bestämt"))

    def clean(self):
        super().clean()
        if self.days == 1 and self.end_time <= self.start_time:
            raise ValidationError(
                {"end_time": _("En endagsträff måste sluta efter att den börjar.")}
            )

    TIMING_FIELDS = ("date", "days", "start_time", "end_time")

    def save(self, *args, **kwargs):
        if self.pk:
            before = (
                Session.objects.filter(pk=self.pk).values(*self.TIMING_FIELDS).first()
            )
            if before and any(
                before[name] != getattr(self, name) for name in self.TIMING_FIELDS
            ):
                self.sequence += 1
                if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)

    @property
    def end_date(self):
        return self.date + datetime.timedelta(days=self.days - 1) if self.date else None

    @property
    def starts_at(self):
        return stockholm_moment(self.date, self.start_time)

    @property
    def ends_at(self):
        return stockholm_moment(self.end_date, self.end_time)

    @property
    def uid(self):
        """Stable across edits, so calendars update the event instead of adding one."""
        return f"session-{self.pk}@{site_domain()}"


def site_domain():
    """The public host name, the same whichever address a request came in on."""
    from urllib.parse import urlsplit

    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "street_address", "town"]


class SessionSerializer(serializers.ModelSerializer):
    venue = VenueSerializer(read_only=True)
    end_date = serializers.DateField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "date",
            "end_date",
            "days",
            "start_time",
            "end_time",
            "end_time_is_approximate",
            "venue",
            "evening_activity",
        ]


class IntakeSerializer(serializers.ModelSerializer):
    """An intake in its programme's API: derived status and ordered sessions."""

    status = StatusField(read_only=True)
    status_display = serializers.SerializerMethodField()
    start_date = serializers.DateField(source="first_date", read_only=True)
    end_date = serializers.DateField(source="last_date", read_only=True)
    sessions = SessionSerializer(source="session_list", many=True, read_only=True)

    class Meta:
        model = Intake
        fields = [
            "id",
            "year",
            "status",
            "status_display",
            "notice",
            "interest_opens_at",
            "interest_closes_at",
            "dates_announced",
            "programme_fee",
            "accommodation_cost",
            "prices_exclude_vat",
            "places",
            "start_date",
            "end_date",
            "sessions",
        ]

    def get_status_display(self, intake) -> str:
        return str(public_status_of(intake, self.context.get("request")).label)
