"""What templates need to keep a site-wide fragment until content changes."""

import uuid

from django.utils.functional import SimpleLazyObject

from serving import page_cache


def content_cache(request):
    """``content_generation`` and ``content_cache_seconds`` for ``{% wagtailcache
    %}``: the navigation, the footer's links and the breadcrumbs are the same on
    every page until content changes, and Wagtail skips the cache in previews.
    The generation is read only by a template that asks for it (the admin's
    never do)."""
    seconds = page_cache.cache_seconds()
    if seconds <= 0:
        # Nothing kept, nor read: a server with the page cache on may keep
        # fragments in the same Redis under the current generation.
        return {"content_cache_seconds": 0, "content_generation": uuid.uuid4().hex}
    return {
        "content_cache_seconds": seconds,
        "content_generation": SimpleLazyObject(
            lambda: page_cache.request_generation(request)
        ),
    }
