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
from wagtail.images.api.v2.views import ImagesAPIViewSet

from rest_framework.renderers import JSONRenderer

from programs.listing import prime

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


class SiteImagesAPIViewSet(CachedReadMixin, ImagesAPIViewSet):
    pass


class SiteDocumentsAPIViewSet(CachedReadMixin, DocumentsAPIViewSet):
    pass
