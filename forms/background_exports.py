"""XLSX exports of an inbox list, built by the task worker, not in the request.

A workbook of 100,000 registrations takes far longer than a web worker may hold
a request (the production timeout cut it off with a 500). So the request only
records what to export (who, which list, its filters, search and order) and
queues ``build_export``. The worker then calls the very view the person called,
with the same query string and as the same user: the same filters, search, order
and permission check, and nothing exported that the person could not list. The
workbook is written row by row (openpyxl's write-only mode) to a temporary file,
then saved to the private ``exports`` storage. Only when it is complete does the
export become "ready" and its download link appear: a file cut short is never
offered.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from django_tasks import task

from .models import SpreadsheetExport

logger = logging.getLogger(__name__)

XLSX = "xlsx"


def queue_export(request) -> SpreadsheetExport:
    """Record the export ``request`` asks for and queue it once committed."""
    query = request.GET.copy()
    query.pop("export", None)
    export = SpreadsheetExport.objects.create(
        created_by=request.user,
        path=request.path,
        query=query.urlencode(),
    )
    transaction.on_commit(lambda: enqueue(export.pk), robust=True)
    return export


def enqueue(pk):
    try:
        build_export.enqueue(pk)
    except DatabaseError:
        logger.exception("Could not queue export %s", pk)
        SpreadsheetExport.objects.filter(pk=pk).update(
            state=SpreadsheetExport.State.FAILED, finished_at=timezone.now()
        )


@task()
def build_export(pk: int) -> str | None:
    """Build one queued export; its state afterwards (``None``: nothing to do)."""
    export = (
        SpreadsheetExport.objects.filter(pk=pk, state=SpreadsheetExport.State.PENDING)
        .select_related("created_by")
        .first()
    )
    if export is None:
        return None
    try:
        response = replay_list_request(export)
        state = (
            SpreadsheetExport.State.READY
            if response.status_code == 200 and export.file
            else SpreadsheetExport.State.FAILED
        )
    except Exception:
        logger.exception("Export %s failed", pk)
        state = SpreadsheetExport.State.FAILED
    export.state = state
    export.finished_at = timezone.now()
    export.save(update_fields=["state", "finished_at", "file", "row_count"])
    return state


def replay_list_request(export: SpreadsheetExport):
    """The inbox list view, called as the person who asked, writing to ``export``.

    The view sees ``request.spreadsheet_export`` and writes the workbook there
    instead of queueing another export.
    """
    separator = "&" if export.query else ""
    request = RequestFactory().get(
        f"{export.path}?{export.query}{separator}export={XLSX}"
    )
    request.user = export.created_by
    # The admin may answer a refused request with a message; there is no one
    # to show it to, but it must have somewhere to go.
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    request.spreadsheet_export = export  # type: ignore[attr-defined]
    match = resolve(export.path)
    return match.func(request, *match.args, **match.kwargs)


def retention_cutoff(now=None):
    now = now or timezone.now()
    return now - timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def purge_old_exports(now=None) -> int:
    """Delete exports (files and rows) older than ``EXPORT_RETENTION_HOURS``."""
    old = SpreadsheetExport.objects.filter(created_at__lt=retention_cutoff(now))
    count = 0
    for export in old.iterator(chunk_size=500):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
