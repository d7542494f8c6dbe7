from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from programs.models import InformationOwnerMixin, ProgramIndexPage, ProgramPage


class HomePage(InformationOwnerMixin, Page):
    """The landing page: a short welcome and the way to the programmes."""

    intro = models.TextField(_("ingress"), blank=True)

    template = "pages/home_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel(
            "contact_person_links",
            heading=_("Informationsansvarig"),
            label=_("Kontaktperson"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), InformationOwnerMixin.information_owners_api_field]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("startsida")
        verbose_name_plural = _("startsidor")

    @cached_property
    def program_index(self):
        return ProgramIndexPage.objects.child_of(self).live().public().first()

    @cached_property
    def programs(self):
        if self.program_index is None:
            return []
        return list(
            ProgramPage.objects.descendant_of(self.program_index)
            .live()
            .public()
            .order_by("path")
        )
