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
from wagtail.images.api.v2.views import ImagesAPIViewSet

from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from programs.listing import prime

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
    authentication_classes = []
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


class SiteImagesAPIViewSet(CachedReadMixin, ImagesAPIViewSet):
    pass


class SiteDocumentsAPIViewSet(CachedReadMixin, DocumentsAPIViewSet):
    pass
