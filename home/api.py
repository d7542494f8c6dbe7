"""The read API (Wagtail API v2) as this site serves it.

Wagtail's viewsets, plus what a front-end or a CDN in front of them needs: JSON
only, short public caching, and an ETag so a conditional GET answers 304, the
same way as the forms API (Django's ``ConditionalGetMiddleware``).
"""

from functools import wraps

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware

from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from programs.listing import prime
from programs.renditions import (
    FocalPointData,
    RenditionData,
    focal_point,
    prefetch_renditions,
    renditions_data,
)

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def public_for_a_while(view):
    """Let shared caches keep a successful read for ``API_CACHE_MAX_AGE`` seconds."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(
                response, public=True, max_age=settings.API_CACHE_MAX_AGE
            )
        return response

    return wrapped


class CachedReadMixin:
    """JSON only (as ``REST_FRAMEWORK`` says; Wagtail would add the browsable HTML),
    cached briefly and revalidated by ETag."""

    renderer_classes = [JSONRenderer]
    # Public content, read anonymously: no second way to try passwords (DRF's
    # default takes HTTP Basic credentials) next to the throttled admin login.
    authentication_classes = []

    @classmethod
    def as_view(cls, *args, **kwargs):
        return conditional_get(public_for_a_while(super().as_view(*args, **kwargs)))


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
