"""What templates need to keep a site-wide fragment until content changes."""

from django.utils.functional import SimpleLazyObject

from . import page_cache


def content_cache(request):
    """``content_generation`` and ``content_cache_seconds`` for ``{% wagtailcache
    %}``: the navigation, the footer's links and the breadcrumbs are the same on
    every page until content changes, and Wagtail skips the cache in previews.
    With ``PAGE_CACHE_SECONDS = 0`` nothing is kept. The generation is read only
    by a template that asks for it (the admin's never do)."""
    return {
        "content_cache_seconds": page_cache.cache_seconds(),
        "content_generation": SimpleLazyObject(
            lambda: page_cache.request_generation(request)
        ),
    }
