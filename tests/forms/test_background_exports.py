"""XLSX exports built by the task worker: complete, private, and purged."""

import io
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from forms.background_exports import build_export
from forms.models import InterestSubmission, SpreadsheetExport
from tests.factories import MANAGERS, make_member
from tests.forms.test_inbox import BASIC

INBOX = "/admin/intresseanmalningar/"
EXPORTS = f"{INBOX}exporter/"


@pytest.fixture
def many(seed_pages):
    """250 registrations (more than one chunk of the export is not needed)."""
    call_command(
        "generate_submissions", "250", "--yes", "--contacts", "0", stdout=io.StringIO()
    )
    return InterestSubmission.objects.count()


def ask_for_xlsx(client, capture, **query):
    """Ask as a person would; the worker runs once the request has committed."""
    with capture(execute=True):
        response = client.get(INBOX, {**query, "export": "xlsx"})
    assert response.status_code == 302
    assert response.url == EXPORTS
    return SpreadsheetExport.objects.latest("pk")


def download_link(client):
    page = client.get(EXPORTS)
    assert page.status_code == 200
    link = BeautifulSoup(page.content, "html.parser").find("a", download=True)
    return link["href"] if link else None


def sheet_rows(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_an_xlsx_export_holds_every_row_of_the_filtered_list(
    manager_client, many, django_capture_on_commit_callbacks
):
    export = ask_for_xlsx(
        manager_client, django_capture_on_commit_callbacks, status__exact="ny"
    )

    export.refresh_from_db()
    expected = InterestSubmission.objects.filter(status="ny")
    assert export.state == SpreadsheetExport.State.READY
    assert export.row_count == expected.count() > 0
    rows = sheet_rows(manager_client.get(download_link(manager_client)))
    assert {row["Referens"] for row in rows} == set(
        expected.values_list("reference", flat=True)
    )
    assert {row["Status"] for row in rows} == {"Ny"}


def test_the_whole_list_exports_all_its_rows_with_their_programmes(
    manager_client, many, seed_pages, django_capture_on_commit_callbacks
):
    ask_for_xlsx(manager_client, django_capture_on_commit_callbacks)

    rows = sheet_rows(manager_client.get(download_link(manager_client)))

    assert len(rows) == many
    basic = seed_pages[BASIC]
    linked = InterestSubmission.objects.filter(programs=basic)
    with_basic = {
        row["Referens"]
        for row in rows
        if basic.title in (row["Program"] or "").split(", ")
    }
    assert with_basic == set(linked.values_list("reference", flat=True))


def test_the_exports_page_says_a_file_is_on_its_way_and_refreshes(manager_client, many):
    """Until the worker has run: no link yet, and the page reloads itself."""
    response = manager_client.get(INBOX, {"export": "xlsx"})  # not committed: queued

    page = manager_client.get(response.url)
    html = page.content.decode()
    assert "Förbereds" in html
    assert 'http-equiv="refresh"' in html
    assert download_link(manager_client) is None
    messages = [str(message) for message in page.context["messages"]]
    assert any("Excel-filen skapas" in message for message in messages)


def test_nobody_else_downloads_an_export(
    manager_client,
    editor_client,
    many,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    ask_for_xlsx(manager_client, django_capture_on_commit_callbacks)
    link = download_link(manager_client)
    colleague = Client()
    colleague.force_login(make_member(django_user_model, "kollega", MANAGERS))

    assert colleague.get(link).status_code == 404
    assert download_link(colleague) is None
    assert editor_client.get(link).status_code == 403
    assert editor_client.get(EXPORTS).status_code == 403
    assert Client().get(link).status_code == 302  # to the login page


def test_an_export_is_not_offered_to_someone_who_may_no_longer_view_the_list(
    manager_client, manager, many, django_capture_on_commit_callbacks
):
    ask_for_xlsx(manager_client, django_capture_on_commit_callbacks)
    link = download_link(manager_client)
    manager.groups.clear()
    manager.user_permissions.add(Permission.objects.get(codename="access_admin"))

    assert manager_client.get(link).status_code == 403


def test_the_worker_exports_nothing_for_someone_who_lost_the_right_to_view(
    manager_client, manager, many, django_capture_on_commit_callbacks
):
    """Between asking and building, the person left the managers' group."""
    manager_client.get(INBOX, {"export": "xlsx"})  # queued, not yet built
    export = SpreadsheetExport.objects.get()
    manager.groups.clear()

    build_export.call(export.pk)

    export.refresh_from_db()
    assert export.state == SpreadsheetExport.State.FAILED
    assert not export.file


def test_the_purge_deletes_old_exports_and_their_files(
    manager_client, many, django_capture_on_commit_callbacks, settings
):
    old = ask_for_xlsx(manager_client, django_capture_on_commit_callbacks)
    new = ask_for_xlsx(manager_client, django_capture_on_commit_callbacks)
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    SpreadsheetExport.objects.filter(pk=old.pk).update(
        created_at=old.created_at - timedelta(hours=settings.EXPORT_RETENTION_HOURS + 1)
    )

    output = io.StringIO()
    call_command("purge_submissions", stdout=output)

    assert "Gamla exporter: 1 raderade" in output.getvalue()
    assert not storage.exists(name)
    assert list(SpreadsheetExport.objects.all()) == [new]


def test_export_files_are_kept_out_of_the_public_media(
    manager_client, many, django_capture_on_commit_callbacks, settings
):
    export = ask_for_xlsx(manager_client, django_capture_on_commit_callbacks)
    export.refresh_from_db()

    path = Path(export.file.path)
    assert path.is_file()
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert not path.is_relative_to(settings.STATIC_ROOT)


def test_the_exports_page_shows_the_filters_of_each_export(manager_client, many):
    manager_client.get(INBOX, {"export": "xlsx", "status__exact": "ny"})
    html = manager_client.get(EXPORTS).content.decode()
    assert f'href="{INBOX}?status__exact=ny"' in html
