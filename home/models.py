from django.db import models
from django.http import Http404
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

from .live_tree import live_tree, page_to_serve

# The webhook models live with the rest of the webhooks; Django finds them here.
from .webhooks.models import Webhook, WebhookDelivery  # noqa: F401


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

    def route(self, request, path_components):
        """Find the page in the live tree's snapshot (one query for the page
        itself) instead of Wagtail's walk of two queries per level; a path the
        snapshot does not know goes Wagtail's way, which answers 404 where
        it should. The page found, this one too, is read fresh and must be
        live: a kept copy would not notice a change the tree missed."""
        tree = live_tree(request)
        if tree is None or tree.root.pk != self.pk:
            return super().route(request, path_components)
        if not path_components:  # this page, from the database, not the keep
            page = page_to_serve(self)
            if page is None:
                raise Http404
            return super(HomePage, page).route(request, [])
        found = tree.find(path_components)
        if found is not None:
            entry, rest = found
            page = page_to_serve(entry)
            if page is None:
                raise Http404
            return page.route(request, rest)
        return super().route(request, path_components)

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
