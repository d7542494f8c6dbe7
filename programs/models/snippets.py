from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from rest_framework import serializers

from .api_fields import editable
from .times import wall_clock_time


@register_snippet
class ProgramFormat(index.Indexed, models.Model):
    """Practical facts stored once and chosen by every programme that shares them."""

    name = models.CharField(
        _("namn"),
        max_length=100,
        help_text=_("Internt namn, t.ex. 'Upplägg 2025'. Visas inte för besökare."),
    )
    sessions = models.PositiveSmallIntegerField(
        _("antal tillfällen"),
        default=4,
        help_text=_("Hur många träffar programmet har."),
    )
    venue = models.CharField(
        _("plats"),
        max_length=200,
        help_text=_(
            "Skrivs in i meningen 'på …', t.ex. 'en kursgård i Stockholmsområdet'."
        ),
    )
    start_time = models.TimeField(_("starttid dag 1"), validators=[wall_clock_time])
    end_time = models.TimeField(_("sluttid dag 2"), validators=[wall_clock_time])
    end_time_is_approximate = models.BooleanField(
        _("sluttiden är ungefärlig"),
        default=True,
        help_text=_("Visar 'ca' före sluttiden."),
    )
    evening_activity = models.BooleanField(_("kvällsaktivitet ingår"), default=True)

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("sessions"),
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
                FieldPanel("end_time_is_approximate"),
                FieldPanel("evening_activity"),
            ],
            heading=_("Praktiska uppgifter"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("venue")]
    # Wagtail's v3 API (/api/v3/snippets/programs.ProgramFormat/, token holders).
    api_fields = [
        *editable(
            "name",
            "sessions",
            "venue",
            "start_time",
            "end_time",
            "end_time_is_approximate",
            "evening_activity",
        ),
    ]

    class Meta:
        verbose_name = _("praktiska uppgifter")
        verbose_name_plural = _("praktiska uppgifter")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgramFormatSerializer(serializers.ModelSerializer):
    """How the practical facts appear inside a page in the API."""

    class Meta:
        model = ProgramFormat
        fields = [
            "sessions",
            "venue",
            "start_time",
            "end_time",
            "end_time_is_approximate",
            "evening_activity",
        ]
