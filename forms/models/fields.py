from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractFormField

PROGRAM_CHOICE = "program_choice"
FIELD_TYPE_CHOICES = (*FORM_FIELD_CHOICES, (PROGRAM_CHOICE, _("Programval")))


class Autocomplete(models.TextChoices):
    """What a field asks for: drives browser autocomplete and the inbox columns."""

    NONE = "", _("Inget (fritt fält)")
    NAME = "name", _("Namn")
    EMAIL = "email", _("E-postadress")
    TEL = "tel", _("Telefonnummer")
    ORGANIZATION = "organization", _("Kommun, region eller organisation")
    ORGANIZATION_TITLE = "organization-title", _("Roll eller titel")


class SkrFormField(AbstractFormField):
    """A form-builder field with our extra type and a declared purpose."""

    field_type = models.CharField(
        verbose_name=_("fälttyp"), max_length=16, choices=FIELD_TYPE_CHOICES
    )
    field_type.required_on_save = True  # type: ignore[attr-defined]  # Wagtail reads it
    autocomplete = models.CharField(
        _("innehåll"),
        max_length=32,
        blank=True,
        choices=Autocomplete.choices,
        help_text=_(
            "Vad fältet frågar efter. Hjälper webbläsaren att fylla i och "
            "inkorgen att visa namn, e-post och organisation."
        ),
    )
    max_length = models.PositiveIntegerField(
        _("största antal tecken"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt för standard: 255 för en rad, 4000 för flera rader."),
    )

    panels = [
        *AbstractFormField.panels,
        FieldPanel("autocomplete"),
        FieldPanel("max_length"),
    ]
    api_fields = [*AbstractFormField.api_fields, APIField("autocomplete")]

    class Meta(AbstractFormField.Meta):
        abstract = True
