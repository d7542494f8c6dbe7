from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractEmailForm
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from programs.models import InformationOwnerMixin

from .fields import SkrFormField


class SubmissionFormPage(InformationOwnerMixin, AbstractEmailForm):
    """What both public forms share: window, verification, retention and e-mail."""

    intro = models.TextField(_("ingress"), blank=True)
    opens_at = models.DateTimeField(
        _("öppnar"), null=True, blank=True, help_text=_("Tomt: öppet direkt.")
    )
    closes_at = models.DateTimeField(
        _("stänger"), null=True, blank=True, help_text=_("Tomt: inget slutdatum.")
    )
    not_open_text = models.TextField(
        _("text innan formuläret öppnar"),
        blank=True,
        default="Formuläret är inte öppet ännu.",
    )
    closed_text = models.TextField(
        _("text när formuläret har stängt"),
        blank=True,
        default="Formuläret är stängt.",
    )
    thank_you_text = models.TextField(
        _("tack-text"),
        default="Tack! Vi har tagit emot ditt meddelande.",
        help_text=_("Visas när formuläret har skickats."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("gallras efter (månader)"),
        default=24,
        help_text=_(
            "Inskickade uppgifter raderas automatiskt efter så här många månader."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("sida om personuppgifter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    settings_panels = [
        *AbstractEmailForm.settings_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("not_open_text"),
                FieldPanel("closed_text"),
            ],
            heading=_("När formuläret är öppet"),
        ),
    ]
    email_panel = MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
            FieldPanel("subject"),
        ],
        heading=_("E-post"),
    )
    content_panels = [
        FormSubmissionsPanel(),
        *AbstractEmailForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Formulärfält")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("privacy_page"), FieldPanel("retention_months")],
            heading=_("Personuppgifter"),
        ),
        email_panel,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("form_fields"),
        InformationOwnerMixin.information_owners_api_field,
    ]

    class Meta:
        abstract = True


class InterestFormPage(SubmissionFormPage):
    """Interest registration for one year's intake of the programmes."""

    intake_year = models.PositiveSmallIntegerField(
        _("antagningsår"), help_text=_("Året anmälningarna gäller, t.ex. 2025.")
    )

    template = "pages/interest_form_page.html"
    landing_page_template = "pages/form_page_landing.html"

    content_panels = [
        *SubmissionFormPage.content_panels[:2],
        FieldPanel("intake_year"),
        *SubmissionFormPage.content_panels[2:],
    ]
    api_fields = [*SubmissionFormPage.api_fields, APIField("intake_year")]

    parent_page_types = ["programs.ProgramIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("intresseanmälan")
        verbose_name_plural = _("intresseanmälningar")

    def get_submission_class(self):
        from .submissions import InterestSubmission

        return InterestSubmission


class InterestFormField(SkrFormField):
    page = ParentalKey(
        InterestFormPage, on_delete=models.CASCADE, related_name="form_fields"
    )


class ContactFormPage(SubmissionFormPage):
    """The general "Kontakta oss" form."""

    template = "pages/contact_form_page.html"
    landing_page_template = "pages/form_page_landing.html"

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("kontaktformulär")
        verbose_name_plural = _("kontaktformulär")

    def get_submission_class(self):
        from .submissions import ContactSubmission

        return ContactSubmission


class ContactFormField(SkrFormField):
    page = ParentalKey(
        ContactFormPage, on_delete=models.CASCADE, related_name="form_fields"
    )
