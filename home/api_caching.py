"""What the read APIs (v2 and v3) tell caches, in one place.

An anonymous read is the same for everyone: public for ``API_CACHE_MAX_AGE``
seconds, with an ETag, and a conditional GET answers 304 (Django's
``ConditionalGetMiddleware``). A read with a token may show drafts and pages
the public cannot see: private and never stored. The v3 API reads the token,
so its answers vary on ``Authorization``; v2 takes none.
"""

from functools import wraps

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.decorators import decorator_from_middleware

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)

READS = ("GET", "HEAD")


def has_credentials(request) -> bool:
    return "HTTP_AUTHORIZATION" in request.META


def mark_read(request, response, *, reads_tokens: bool) -> None:
    if request.method not in READS:
        return
    if reads_tokens:
        patch_vary_headers(response, ["Authorization"])
        if has_credentials(request):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            return
    if response.status_code == 200 and "Cache-Control" not in response:
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)


def api_read(*, reads_tokens: bool):
    """Decorate a read API view with the headers above and a conditional GET."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            mark_read(request, response, reads_tokens=reads_tokens)
            return response

        return conditional_get(wrapped)

    return decorator
