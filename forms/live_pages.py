"""The site's live form pages, read once per request.

A page asks for the interest form's state in several places and the API asks
for every intake it serializes; the request keeps what was found.
"""

from __future__ import annotations

from django.http import HttpRequest

from programs.visibility import public


def first_live_page(request: HttpRequest | None, model):
    """The first public live page of ``model`` (not an alias), or None."""
    found = getattr(request, "_first_live_pages", None)
    if found is None:
        found = {}
        if request is not None:
            request._first_live_pages = found  # type: ignore[attr-defined]
    if model not in found:
        queryset = public(model.objects.live()).filter(alias_of__isnull=True)
        found[model] = queryset.order_by("path").first()
    return found[model]
