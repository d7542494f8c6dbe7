"""Builds pages from seed data without ever overwriting an editor's work.

Each page is looked up by its slug under its parent. A missing page is created and
published; an existing page whose fields still equal the seed is left alone; one
whose fields differ (an editor changed it) or that has an unpublished draft is
skipped and reported, so running the seed again is always safe.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

from wagtail.models import Page

M = TypeVar("M", bound=Model)

CREATED = "skapad"
UNCHANGED = "oförändrad"
SKIPPED = "hoppade över, ändrad i admin sedan seed"


@dataclass
class SeedReport:
    lines: list[tuple[str, str]] = field(default_factory=list)

    def add(self, outcome: str, what: str) -> None:
        self.lines.append((outcome, what))

    def count(self, outcome: str) -> int:
        return sum(1 for line_outcome, _ in self.lines if line_outcome == outcome)


def differs(page: Page, values: dict[str, Any]) -> bool:
    """Whether an existing page no longer holds what the seed would give it."""
    if page.has_unpublished_changes:
        return True
    return any(getattr(page, name) != value for name, value in values.items())


def ensure_page(
    parent: Page,
    page_class: type[Page],
    slug: str,
    values: dict[str, Any],
    report: SeedReport,
    children: Mapping[str, Sequence[Model]] | None = None,
    published: datetime.date | None = None,
) -> Page:
    """Create and publish ``page_class`` under ``parent`` unless it already exists.

    ``children`` are cluster relations (intakes, contact links) set only on create:
    an existing page's inlines are the editors'. Returns the page either way.
    """
    existing = parent.get_children().filter(slug=slug).specific().first()
    label = f"{page_class._meta.verbose_name} '{values.get('title', slug)}'"
    if existing is not None:
        if not isinstance(existing, page_class) or differs(existing, values):
            report.add(SKIPPED, label)
        else:
            report.add(UNCHANGED, label)
        return existing

    page = page_class(slug=slug, **values)
    for relation, items in (children or {}).items():
        setattr(page, relation, items)
    if published is not None:
        page.first_published_at = timezone.make_aware(
            datetime.datetime.combine(published, datetime.time(9, 0))
        )
    parent.add_child(instance=page)
    page.save_revision().publish()
    if published is not None:
        # Loading the seed is not an edit: the page was last published when SKR did.
        type(page).objects.filter(pk=page.pk).update(
            last_published_at=page.first_published_at
        )
    report.add(CREATED, label)
    return page


def ensure_object(
    model: type[M],
    lookup: dict[str, Any],
    defaults: dict[str, Any],
    report: SeedReport,
) -> M:
    """Get or create a snippet by ``lookup``; never change an existing one."""
    obj, created = model._default_manager.get_or_create(**lookup, defaults=defaults)
    label = f"{model._meta.verbose_name} '{obj}'"
    report.add(CREATED if created else UNCHANGED, label)
    return obj
