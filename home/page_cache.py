"""Whole-page cache for anonymous readers, emptied whenever content changes.

Wagtail renders a programme page in about twenty queries; readers far outnumber
editors, so finished pages are kept in the shared cache for a short while. Every
cache key carries a generation number that any content change bumps, so a
published edit shows at once; the timeout only bounds how long time-dependent
text (a form opening or closing) can lag. Pages that set cookies or say
no-store (the forms, with their CSRF token and verification) are never kept.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.cache import get_cache_key, learn_cache_key

from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "page-cache:generation"
UNCACHED_PREFIXES = ("/admin/", "/api/", "/altcha/", "/documents/", "/django-admin/")
UNCACHED_CONTROLS = ("private", "no-store", "no-cache")
# Saving these changes nothing a reader sees: they must not empty the cache.
IGNORED_APPS = {"sessions", "django_tasks_db", "admin", "wagtailsearch"}


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def generation():
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def invalidate(**kwargs):
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed(sender, **kwargs):
    if sender._meta.app_label in IGNORED_APPS:
        return
    if sender.__name__.endswith("Submission"):
        return
    invalidate()


def connect_signals():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"page_cache_{id(signal)}")
    post_save.connect(content_changed, dispatch_uid="page_cache_post_save")
    post_delete.connect(content_changed, dispatch_uid="page_cache_post_delete")


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
