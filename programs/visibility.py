"""Which pages readers may see, in the query that fetches them.

Wagtail's ``PageQuerySet.public()`` first loads every view restriction (one
query) and then filters on them; pages that list other pages call it several
times per request. ``public`` here says the same as a subquery of the one
query that fetches the pages: no view restriction on the page or any ancestor.
"""

from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith

from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet


def restricted(path="path"):
    """Exists: a view restriction on the outer page at ``path`` or one of its
    ancestors (a page's tree path starts with each ancestor's)."""
    return Exists(
        PageViewRestriction.objects.filter(StartsWith(OuterRef(path), F("page__path")))
    )


def public(queryset: PageQuerySet) -> PageQuerySet:
    """``queryset.public()`` without the extra query. An alias is as private as
    its source page, as Wagtail's own check has it."""
    return queryset.exclude(restricted()).exclude(restricted("alias_of__path"))
