"""What a listing of pages shows of each, loaded for all of them at once.

A programme in the read API shows its format, intakes with their sessions,
themes and information owners; each of those is a cached property that costs a
query or two per programme. ``prime`` fills them for a whole page of results in
one query each, so a listing of ten programmes costs what one of two does.
"""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.models import Locale

from .models import (
    InformationOwnerMixin,
    Intake,
    ProgramFormat,
    ProgramPage,
    ThemePage,
)
from .models.contacts import ancestor_paths, owner_links, owners_from_links
from .models.pages import ListedPageQuerySet


def prime(pages) -> None:
    """Fill the cached properties the API serialises, for all ``pages`` at once."""
    saved = [page for page in pages if page.pk]
    prime_locales(saved)
    programmes = [page for page in saved if isinstance(page, ProgramPage)]
    if programmes:
        prime_formats(programmes)
        prime_intakes(programmes)
        prime_themes(programmes)
    prime_owners([page for page in saved if isinstance(page, InformationOwnerMixin)])


def prime_locales(pages) -> None:
    """Every page's ``meta.locale`` (one locale on this site, fetched per page)."""
    locales = Locale.objects.in_bulk({page.locale_id for page in pages})
    for page in pages:
        page.locale = locales[page.locale_id]


def prime_formats(programmes) -> None:
    formats = ProgramFormat.objects.in_bulk(
        {page.program_format_id for page in programmes if page.program_format_id}
    )
    for page in programmes:
        if page.program_format_id:
            page.program_format = formats.get(page.program_format_id)


def prime_intakes(programmes) -> None:
    by_programme = defaultdict(list)
    intakes = Intake.objects.filter(program__in=programmes, live=True)
    for intake in intakes.order_by("year").with_sessions():
        by_programme[intake.program_id].append(intake)
    for page in programmes:
        page.__dict__["intake_list"] = by_programme[page.pk]


def prime_themes(programmes) -> None:
    children = reduce(
        or_,
        (Q(path__startswith=page.path, depth=page.depth + 1) for page in programmes),
    )
    by_parent = defaultdict(list)
    for theme in ListedPageQuerySet(ThemePage).filter(children).listed():
        by_parent[theme.path[: -theme.steplen]].append(theme)
    for page in programmes:
        page.__dict__["themes"] = by_parent[page.path]


def prime_owners(pages) -> None:
    if not pages:
        return
    paths = {path for page in pages for path in ancestor_paths(page)}
    links = list(owner_links(paths))
    for page in pages:
        mine = set(ancestor_paths(page))
        page.__dict__["information_owners"] = owners_from_links(
            link for link in links if link.page_path in mine
        )
