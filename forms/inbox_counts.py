"""The small table above the registrations list: how many per programme and status.

It counts the list as filtered and searched, in one GROUP BY query whatever the
number of rows. A registration for two programmes counts in both rows, so the
rows may add up to more than the list's total.
"""

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import InterestSubmission


def programme_status_counts(queryset) -> dict:
    """The table: its status columns and one row per programme."""
    statuses = InterestSubmission.Status.choices
    grouped = (
        queryset.order_by()
        .values("programs__pk", "programs__title", "programs__path", "status")
        # Each (registration, programme) pair is one row of the join: no
        # DISTINCT, which would make PostgreSQL sort every group.
        .annotate(count=Count("pk"))
    )
    by_programme: dict[str, dict] = {}
    for row in grouped:
        key = row["programs__path"] or ""
        title = row["programs__title"] or _("Inget program valt")
        entry = by_programme.setdefault(key, {"title": title, "counts": {}})
        entry["counts"][row["status"]] = row["count"]
    rows = []
    # Programmes in tree order; "no programme" (no path) last.
    for key in sorted(by_programme, key=lambda path: (path == "", path)):
        entry = by_programme[key]
        cells = [entry["counts"].get(value, 0) for value, _label in statuses]
        rows.append({"title": entry["title"], "cells": cells, "total": sum(cells)})
    return {"statuses": [label for _value, label in statuses], "rows": rows}
