from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as serve_page

from forms.api import api as forms_api
from home.api import (
    SiteDocumentsAPIViewSet,
    SiteImagesAPIViewSet,
    SitePagesAPIViewSet,
)
from home.api_v3.api import api as content_api_v3
from home.errors import api_not_found
from home.problem_pages import problem_type, problem_types

# A database outage is answered 503 with Retry-After, anything else 500.
handler500 = "home.errors.server_error"

# The read API serves pages, images and documents; never submissions.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SitePagesAPIViewSet)
api_router.register_endpoint("images", SiteImagesAPIViewSet)
api_router.register_endpoint("documents", SiteDocumentsAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # Wagtail's v3 snippet routes take any text as a key and fail (500) on one
    # that is no number; every snippet here has a numeric key, so other keys
    # are simply not found.
    re_path(r"^api/v3/snippets/[^/]+/[^/]*[^\d/][^/]*/", api_not_found),
    # An id of 19 digits or more is beyond any key here, and some of its
    # lookups overflow SQLite's integers (a 500): not found either.
    re_path(r"^api/v3/(?:[^/]+/)*\d{19,}/", api_not_found),
    # Each problem type's URI is a page that explains it (RFC 9457).
    re_path(r"^api/(?P<api>v3|forms)/problems/$", problem_types, name="problem_types"),
    re_path(
        r"^api/(?P<api>v3|forms)/problems/(?P<slug>[-a-z]+)$",
        problem_type,
        name="problem_type",
    ),
    path("api/v3/", content_api_v3.urls),
    path("api/forms/", forms_api.urls),
    # Whatever no API above answers, still answered as an API (problem details).
    re_path(r"^api/(?P<path>.*)$", api_not_found, name="api_not_found"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("", include("forms.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail serves only paths ending in a slash; calendar files end in .ics,
    # so this passes them to the same page routing (ProgramPage's routes).
    re_path(
        r"^((?:[\w\-]+/)+kalender(?:/\d{4})?\.ics)$",
        serve_page,
        name="page_calendar",
    ),
    path("", include(wagtail_urls)),
]
