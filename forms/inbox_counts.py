"""The small table above the registrations list: how many per programme and status.

A list narrowed only by what the tallies count (verification, programme,
intake year, status, source) is read from them: a few dozen rows, however many
registrations there are. Any other list (a search, the duplicates, a date) is
counted from its own rows in one GROUP BY. A registration for two programmes
counts in both rows, so the rows may add up to more than the list's total.
"""

from django.db.models import Count
from django.utils.translation import gettext as _

from . import tally
from .models import InterestSubmission


def counted_rows(queryset) -> list[tuple]:
    """(programme id, title and path, or ``None``; status; count) for the rows
    of ``queryset``, as ``tally.by_programme_and_status`` gives them."""
    return list(
        queryset.order_by()
        .values_list("programs__pk", "programs__title", "programs__path", "status")
        # Each (registration, programme) pair is one row of the join: no
        # DISTINCT, which would make PostgreSQL sort every group.
        .annotate(count=Count("pk"))
    )


def programme_status_counts(queryset, tally_query=None) -> dict:
    """The table: its status columns and one row per programme. From the
    tallies when ``tally_query`` says what of them the list is."""
    if tally_query is None:
        counts = counted_rows(queryset)
    else:
        counts = tally.by_programme_and_status(tally_query)
    titles: dict[str, str] = {}
    by_programme: dict[str, dict[str, int]] = {}
    for _pk, title, path, status, count in counts:
        key = path or ""
        titles[key] = title or _("Inget program valt")
        per_status = by_programme.setdefault(key, {})
        per_status[status] = per_status.get(status, 0) + count
    statuses = InterestSubmission.Status.choices
    rows = []
    # Programmes in tree order; "no programme" (no path) last.
    for key in sorted(by_programme, key=lambda path: (path == "", path)):
        cells = [by_programme[key].get(value, 0) for value, _label in statuses]
        rows.append({"title": titles[key], "cells": cells, "total": sum(cells)})
    return {"statuses": [label for _value, label in statuses], "rows": rows}
