"""Whole-page cache for anonymous readers, emptied whenever content changes.

Readers far outnumber editors, so finished pages are kept in the shared cache
for a short while, and a page served from it costs no query at all. Every
cache key carries a generation number that any content change bumps
(``serving.content_changes``), so a published edit shows at once; the timeout
only bounds how long time-dependent text (a form opening or closing) can lag.
Pages that set cookies or say no-store (a form answered with errors, a
thank-you page) are never kept.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control, set_response_etag

from . import metrics
from .content_changes import content_changed

GENERATION_KEY = "page-cache:generation"
UNCACHED_PREFIXES = ("/admin/", "/api/", "/altcha/", "/documents/")
# A probe or a scrape must see this process now, never a kept answer.
UNCACHED_PATHS = ("/healthz", "/readyz", "/metrics")
# Anonymous reads of the content APIs are the same for everyone.
CACHED_API_PREFIXES = ("/api/v2/", "/api/v3/")
COMPRESSED_TYPES = ("text/html", "application/json", "text/calendar", "text/plain")


def cache_seconds():
    return settings.PAGE_CACHE_SECONDS


def generation():
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def request_generation(request) -> str:
    """The generation ``request`` renders under, read once per request (the
    middleware has read it for a request it could have answered)."""
    if getattr(request, "content_generation", None) is None:
        request.content_generation = generation()
    return request.content_generation


def invalidate(**kwargs):
    """A new generation now, and, inside a transaction, again once it commits:
    a reader between the two would otherwise keep the old state (a page) under
    the new generation until the next change."""
    new_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(new_generation)


def on_content_changed(sender, change, **kwargs):
    if change.shown_on_pages:
        invalidate()


def connect_signals():
    content_changed.connect(on_content_changed, dispatch_uid="page_cache_changed")


def is_cacheable_request(request) -> bool:
    """An anonymous GET or HEAD of a public page, or of the content APIs.

    Anonymous means "no session cookie and no credentials": every signed-in
    person has a cookie, every API client reading drafts sends a token, and the
    cache answers before the session and authentication middleware would run.
    Pages take no query string here (each one would be a new entry, and none
    changes what a page shows); the read API's listings are their query strings.
    """
    path = request.path
    return (
        cache_seconds() > 0
        and request.method in ("GET", "HEAD")
        and path not in UNCACHED_PATHS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and (path.startswith(CACHED_API_PREFIXES) or not request.GET)
        and (
            path.startswith(CACHED_API_PREFIXES)
            or not path.startswith(UNCACHED_PREFIXES)
        )
    )


def is_public_response(response) -> bool:
    """The same for everyone: no cookie set, nothing depending on one, not
    private. Only such responses are kept, compressed or marked public."""
    cache_control = response.get("Cache-Control", "")
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",")}
    return (
        not response.cookies
        and "cookie" not in vary
        and "*" not in vary
        and not any(
            word in cache_control for word in ("private", "no-store", "no-cache")
        )
    )


def is_cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and is_public_response(response)
    )


def page_key(request) -> str:
    """One entry per method, host, path with query and encoding. Cookies are not
    part of it: what is kept depends on none (``is_public_response``)."""
    encoding = "gzip" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else ""
    url = request.build_absolute_uri()
    digest = hashlib.sha256(f"{request.method} {url} {encoding}".encode()).hexdigest()
    return f"page:{digest}"


def etag_matches(request, etag: str) -> bool:
    """If-None-Match uses the weak comparison: ``W/"x"`` matches ``"x"``."""
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not wanted or not etag:
        return False
    strong = etag.removeprefix("W/")
    return any(
        tag.strip().removeprefix("W/") in (strong, "*") for tag in wanted.split(",")
    )


def not_modified(response) -> HttpResponseNotModified:
    """304 with the headers RFC 9110 asks a 304 to repeat."""
    answer = HttpResponseNotModified()
    for header in (
        "Cache-Control",
        "Content-Location",
        "Date",
        "ETag",
        "Expires",
        "Vary",
    ):
        if header in response:
            answer[header] = response[header]
    return answer


def frozen(response) -> HttpResponse:
    """What a reader is sent, and nothing else: status, headers and body.

    The read API answers with a REST framework ``Response``, which pickles the
    view's data along with the rendered body (four times the bytes); every hit
    would read and unpickle it again for nothing.
    """
    return HttpResponse(
        response.content, status=response.status_code, headers=response.headers
    )


def mark_public(response) -> None:
    """``Cache-Control: public`` for a CDN, for as long as this cache keeps it,
    unless the view chose its own age (the read API), and an ETag."""
    if "max-age" in response.get("Cache-Control", ""):
        patch_cache_control(response, public=True)
    else:
        patch_cache_control(response, public=True, max_age=cache_seconds())
    if not response.has_header("ETag"):
        set_response_etag(response)


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages and API reads from the shared cache.

    Early in ``MIDDLEWARE``: a hit costs one round trip to the cache (the
    generation and the entry together) and none of the session, CSRF,
    authentication and message middleware. A revalidation whose ETag matches
    the kept entry is answered 304 before anything renders; one that misses
    is rendered, kept, and then answered 304 if it matches.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        # What the page renders from may be kept under it (context_processors).
        request.content_generation = current
        kept = found.get(key)
        if kept is not None and kept[0] == current:
            metrics.page_cache.labels("hit").inc()
            # Counted under this route: resolving the URL would cost a hit more
            # than a tenth of its time.
            request.route_name = "page_cache"
            response = kept[1]
            return (
                not_modified(response)
                if etag_matches(request, response.get("ETag", ""))
                else response
            )
        # A revalidation that misses is rendered in full (not answered 304 by
        # the view), so that what it renders can be kept for the next reader.
        wanted = request.META.pop("HTTP_IF_NONE_MATCH", None)
        metrics.page_cache.labels("miss").inc()
        response = self.get_response(request)
        if is_cacheable_response(response):
            self.store(response, key, current)
            if wanted is not None:
                request.META["HTTP_IF_NONE_MATCH"] = wanted
                if etag_matches(request, response.get("ETag", "")):
                    return not_modified(response)
        elif wanted is not None:
            request.META["HTTP_IF_NONE_MATCH"] = wanted
        return response

    def store(self, response, key, current):
        def keep(rendered):
            mark_public(rendered)
            cache.set(key, (current, frozen(rendered)), cache_seconds())

        if (
            hasattr(response, "render")
            and callable(response.render)
            and not response.is_rendered
        ):
            response.add_post_render_callback(keep)
        else:
            keep(response)


class PublicGZipMiddleware(GZipMiddleware):
    """Compress HTML and JSON only where it is safe from BREACH: responses that
    carry no secret for an attacker to guess at. Those are the public ones
    (no cookie set or read, not private) to requests without a session; the
    admin and anything with a CSRF token stay uncompressed. After the page cache
    in ``MIDDLEWARE``, so the cache keeps the compressed body."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or not content_type.startswith(COMPRESSED_TYPES)
            or not is_public_response(response)
        ):
            return response
        return super().process_response(request, response)
