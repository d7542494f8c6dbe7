"""The read API (Wagtail API v2) as this site serves it.

Wagtail's viewsets, plus what a front-end or a CDN in front of them needs: short
public caching with an ETag so a conditional GET answers 304, and the computed
fields of the form pages (open state, verification and submission URLs), which
the forms app declares in ``forms.api``.
"""

from functools import wraps

from django.conf import settings
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)

from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from rest_framework.renderers import JSONRenderer

from forms.api import form_page_api_fields

DEFAULT_MAX_AGE = 60


def cached_read(view):
    """Let shared caches keep a successful read briefly and revalidate by ETag."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        max_age = getattr(settings, "API_CACHE_MAX_AGE", DEFAULT_MAX_AGE)
        patch_cache_control(response, public=True, max_age=max_age)
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(
            request, etag=response.get("ETag"), response=response
        )

    return wrapped


class CachedReadMixin:
    """JSON only (as ``REST_FRAMEWORK`` says; Wagtail would add the browsable HTML),
    cached briefly and revalidated by ETag."""

    renderer_classes = [JSONRenderer]

    @classmethod
    def as_view(cls, *args, **kwargs):
        return cached_read(super().as_view(*args, **kwargs))


class SitePagesAPIViewSet(CachedReadMixin, PagesAPIViewSet):
    @classmethod
    def get_body_fields(cls, model):
        extra = cls._convert_api_fields(form_page_api_fields(model))
        return [*super().get_body_fields(model), *extra]


class SiteImagesAPIViewSet(CachedReadMixin, ImagesAPIViewSet):
    pass


class SiteDocumentsAPIViewSet(CachedReadMixin, DocumentsAPIViewSet):
    pass
