"""The read API (Wagtail API v2) as this site serves it.

Wagtail's viewsets, plus what a front-end or a CDN in front of them needs: JSON
only, short public caching, and an ETag so a conditional GET answers 304, the
same way as the forms API (Django's ``ConditionalGetMiddleware``).
"""

from django.http import Http404

from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from programs.listing import prime
from programs.renditions import (
    FocalPointData,
    RenditionData,
    focal_point,
    prefetch_renditions,
    renditions_data,
)

from .api_caching import api_read
from .api_v3.pagination import INT32_MAX, MAX_OFFSET
from .api_v3.problems import PROBLEM_CONTENT_TYPE, problem_type


class BoundedPagination(WagtailPagination):
    """Wagtail's, refusing an offset beyond any listing (one beyond the
    database's integers is otherwise a server error)."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "")
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class CachedReadMixin:
    """JSON only (as ``REST_FRAMEWORK`` says; Wagtail would add the browsable HTML),
    cached briefly and revalidated by ETag."""

    renderer_classes = [JSONRenderer]
    # Public content, read anonymously: no second way to try passwords (DRF's
    # default takes HTTP Basic credentials) next to the throttled admin login.
    authentication_classes: list[type] = []
    pagination_class = BoundedPagination

    @classmethod
    def as_view(cls, *args, **kwargs):
        return api_read(reads_tokens=False)(super().as_view(*args, **kwargs))

    def find_object(self, queryset, request):
        """Wagtail's ``find/?id=`` passes the text to the database as it is:
        anything but a whole number of an id's size is a server error there."""
        wanted = request.GET.get("id")
        if wanted is not None and not (
            wanted.isascii() and wanted.isdigit() and int(wanted) <= INT32_MAX
        ):
            raise BadRequestError("id must be a positive integer")
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        """Problem details, as the other APIs answer, keeping v2's ``message``
        (Wagtail's English text) for the clients that read it."""
        if not isinstance(exc, Http404 | BadRequestError):
            return super().handle_exception(exc)
        status = 404 if isinstance(exc, Http404) else 400
        kind = problem_type(status)
        body = {
            "type": kind.uri,
            "title": kind.title,
            "status": status,
            "detail": kind.detail,
            "message": str(exc),
        }
        return Response(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


class SitePagesAPIViewSet(CachedReadMixin, PagesAPIViewSet):
    def paginate_queryset(self, queryset):
        """The page of results, with what each shows loaded for all at once, so
        a listing costs the same queries however many programmes it has."""
        pages = list(super().paginate_queryset(queryset))
        prime(pages)
        return pages


class FocalPointField(serializers.Field):
    def to_representation(self, value) -> FocalPointData | None:
        return focal_point(value)


class RenditionsField(serializers.Field):
    def to_representation(self, value) -> dict[str, RenditionData] | None:
        return renditions_data(value)


class PrefetchedTagsField(serializers.Field):
    """Tag names from the listing's prefetch (Wagtail's field asks once per image)."""

    def to_representation(self, value) -> list[str]:
        return sorted(tag.name for tag in value.all())


class SiteImageSerializer(ImageSerializer):
    """An image with the alt text, focal point and renditions the pages' photos
    have (``programs.renditions``), so a front-end handles both alike."""

    tags = PrefetchedTagsField(read_only=True)
    alt = serializers.CharField(source="default_alt_text", read_only=True)
    focal_point = FocalPointField(source="*", read_only=True)
    renditions = RenditionsField(source="*", read_only=True)


class SiteImagesAPIViewSet(CachedReadMixin, ImagesAPIViewSet):
    base_serializer_class = SiteImageSerializer
    # In the detail (all fields) and in a listing that asks (?fields=renditions).
    body_fields = ImagesAPIViewSet.body_fields + ["alt", "focal_point", "renditions"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")

    def paginate_queryset(self, queryset):
        """The page of results, with the renditions it shows loaded at once."""
        images = list(super().paginate_queryset(queryset))
        if "renditions" in self.get_serializer_class().Meta.fields:
            prefetch_renditions(images)
        return images

    def get_object(self):
        image = super().get_object()
        prefetch_renditions([image])
        return image


class SiteDocumentsAPIViewSet(CachedReadMixin, DocumentsAPIViewSet):
    pass
