from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from modelcluster.fields import ParentalKey
from rest_framework import serializers

from ..renditions import ImageData, image_data, rendition_prefetch, renditions
from .api_fields import editable


@register_snippet
class ContactPerson(index.Indexed, models.Model):
    """A person readers can turn to; shown on pages as their information owner."""

    name = models.CharField(_("namn"), max_length=100)
    job_title = models.CharField(
        _("titel"), max_length=100, blank=True, help_text=_("T.ex. 'Projektledare'.")
    )
    email = models.EmailField(_("e-postadress"), blank=True)
    phone = models.CharField(_("telefonnummer"), max_length=40, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("job_title"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("job_title")]
    # Wagtail's v3 API (/api/v3/snippets/programs.ContactPerson/, token holders).
    api_fields = [
        *editable("name", "job_title", "email", "phone", "photo"),
    ]

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.job_title}" if self.job_title else self.name

    @cached_property
    def photo_renditions(self) -> dict | None:
        """The photo in the site's sizes (``programs.renditions``), for the page."""
        return renditions(self.photo) if self.photo else None


class PageContactPerson(Orderable):
    """Links any page to the contact persons it names as information owners."""

    page = ParentalKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="contact_person_links",
    )
    person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("kontaktperson"),
        on_delete=models.CASCADE,
        related_name="page_links",
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("informationsansvarig")
        verbose_name_plural = _("informationsansvariga")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "person"], name="unique_page_contact_person"
            )
        ]


class ImageDataField(serializers.Field):
    """An image as ``programs.renditions`` describes it, with its renditions."""

    def to_representation(self, value) -> ImageData:
        return image_data(value)


class ContactPersonSerializer(serializers.ModelSerializer):
    photo = ImageDataField(read_only=True)

    class Meta:
        model = ContactPerson
        fields = ["id", "name", "job_title", "email", "phone", "photo"]


def ancestor_paths(page) -> list[str]:
    """The tree paths of ``page`` and every ancestor."""
    step = page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def owner_links(paths):
    """The contact links of the pages at ``paths``, deepest page first."""
    return (
        PageContactPerson.objects.filter(page__path__in=paths)
        .select_related("person", "person__photo")
        .prefetch_related(rendition_prefetch("person__photo__renditions"))
        # The page's place is all that is read of it, not its whole row.
        .annotate(page_depth=models.F("page__depth"), page_path=models.F("page__path"))
        .order_by("-page_depth", "sort_order")
    )


def owners_from_links(links) -> list:
    """The persons linked from the deepest page that links any (``links`` in
    ``owner_links`` order)."""
    owners, owner_depth = [], None
    for link in links:
        if owner_depth is not None and link.page_depth != owner_depth:
            break
        owner_depth = link.page_depth
        owners.append(link.person)
    return owners


class InformationOwnerMixin:
    """Gives a page its information owners, inherited from the nearest ancestor.

    A page that names no contact persons shows those of its closest ancestor that
    does, so an editor sets them once on the index page and overrides where needed.
    """

    @cached_property
    def information_owners(self):
        if not self.path:  # an unsaved page in preview has no place in the tree yet
            return []
        # One query over the page and all its ancestors, then keep the deepest match.
        return owners_from_links(owner_links(ancestor_paths(self)))

    information_owners_panel = InlinePanel(
        "contact_person_links",
        heading=_("Informationsansvarig"),
        label=_("Kontaktperson"),
        help_text=_(
            "Lämna tomt för att visa kontaktpersonerna från närmaste överordnade sida."
        ),
    )
    information_owners_api_field = APIField(
        "information_owners",
        serializer=ContactPersonSerializer(many=True, read_only=True),
    )
