from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from programs.headless_preview import HeadlessPreviewMixin
from programs.models import InformationOwnerMixin, ProgramIndexPage, ProgramPage
from programs.page_permissions import SitePagePermissionsMixin
from programs.visibility import public

# The webhook models live with the rest of the webhooks; Django finds them here.


class HomePage(
    SitePagePermissionsMixin, HeadlessPreviewMixin, InformationOwnerMixin, Page
):
    """The landing page: a short welcome and the way to the programmes."""

    intro = models.TextField(_("ingress"), blank=True)

    template = "pages/home_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InformationOwnerMixin.information_owners_panel,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro", writable=True),
        InformationOwnerMixin.information_owners_api_field,
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "programs.ProgramIndexPage",
        "forms.ContactFormPage",
        "home.ContentPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("startsida")
        verbose_name_plural = _("startsidor")

    @cached_property
    def program_index(self):
        return public(ProgramIndexPage.objects.child_of(self).live()).first()

    @cached_property
    def programs(self):
        if self.program_index is None:
            return []
        return list(ProgramPage.objects.descendant_of(self.program_index).listed())


class ContentPage(
    SitePagePermissionsMixin, HeadlessPreviewMixin, InformationOwnerMixin, Page
):
    """A plain text page, e.g. the privacy notice or the accessibility statement."""

    body = RichTextField(
        _("brödtext"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    template = "pages/content_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        InformationOwnerMixin.information_owners_panel,
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [
        APIField("body", writable=True),
        InformationOwnerMixin.information_owners_api_field,
    ]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("textsida")
        verbose_name_plural = _("textsidor")
