"""Whole-page cache for anonymous readers, emptied whenever content changes.

Wagtail renders a programme page in about twenty queries; readers far outnumber
editors, so finished pages are kept in the shared cache for a short while. Every
cache key carries a generation number that any content change bumps, so a
published edit shows at once; the timeout only bounds how long time-dependent
text (a form opening or closing) can lag. Pages that set cookies or say
no-store (the forms, with their CSRF token and verification) are never kept.
"""

import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.cache import get_cache_key, learn_cache_key

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "page-cache:generation"
UNCACHED_PREFIXES = ("/admin/", "/api/", "/altcha/", "/documents/")
# What pages show besides the pages themselves. Saving or deleting one of these
# changes what readers see; nothing else does (submissions, task results, drafts
# and sessions are saved all the time and must leave the cache alone).
SHOWN_ON_PAGES = (
    "programs.ProgramFormat",
    # Intakes are snippets, saved without publishing their programme page.
    "programs.Intake",
    "programs.Session",
    "programs.Venue",
    "programs.ContactPerson",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "wagtailcore.Site",
)


def cache_seconds():
    return settings.PAGE_CACHE_SECONDS


def generation():
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def invalidate(**kwargs):
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def connect_signals():
    """Empty the cache when a page goes live, changes, moves or goes, and when
    something pages show is saved or deleted."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"page_cache_{id(signal)}")
    post_delete.connect(invalidate, sender=Page, dispatch_uid="page_cache_page_gone")
    for label in SHOWN_ON_PAGES:
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate,
                sender=model,
                dispatch_uid=f"page_cache_{label}_{id(signal)}",
            )


def is_cacheable_request(request):
    return (
        cache_seconds() > 0
        and request.method in ("GET", "HEAD")
        and not request.GET
        and not request.path.startswith(UNCACHED_PREFIXES)
        and not request.user.is_authenticated
    )


def is_cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(
            word in cache_control for word in ("private", "no-store", "no-cache")
        )
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache when it has them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        prefix = f"pages.{generation()}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        cached = cache.get(key) if key else None
        if cached is not None:
            return cached
        response = self.get_response(request)
        if is_cacheable_response(response):
            self.store(request, response, prefix)
        return response

    def store(self, request, response, prefix):
        timeout = cache_seconds()
        key = learn_cache_key(request, response, timeout, prefix, cache=cache)
        if hasattr(response, "render") and callable(response.render):
            response.add_post_render_callback(lambda r: cache.set(key, r, timeout))
        else:
            cache.set(key, response, timeout)
