"""Budgets that hold at any number of registrations: queries, memory, completeness.

The rows come from ``generate_submissions``, the command ``make bench-scale``
fills 100,000 with; here at 10, 1,000 and 10,000.
"""

import csv
import io
import tracemalloc
from datetime import timedelta

from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from forms.dashboard import new_registration_rows
from forms.models import ContactSubmission, InterestSubmission
from forms.views import SubmissionIndexView
from programs.models import ProgramPage
from tests.factories import make_registration
from tests.forms.test_inbox import INTEREST_FORM

INBOX = "/admin/intresseanmalningar/"
CONTACTS = "/admin/kontaktforfragningar/"
# Python allocations an export of 10,000 rows may hold at its peak. Read in
# chunks it needs about 6 MiB; read whole (as it was) about 80 MiB.
EXPORT_PEAK_BYTES = 16 * 2**20


def generate(count, contacts=None):
    """Top the registrations up to ``count`` (and contact requests likewise)."""
    missing = count - InterestSubmission.objects.count()
    args = [missing, "--yes", "--seed", str(count)]
    if contacts is not None:
        args += ["--contacts", str(contacts - ContactSubmission.objects.count())]
    call_command("generate_submissions", *args, stdout=io.StringIO())


def list_urls(program):
    """The inbox as a programme manager uses it: each filter, a search."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    week = {
        "submit_time__gte": (today - timedelta(days=7)).isoformat(),
        "submit_time__lt": (today + timedelta(days=1)).isoformat(),
    }
    return [
        (INBOX, {}),
        (INBOX, {"program": program.pk}),
        (INBOX, {"program": "inget"}),
        (INBOX, {"intake_year": 2025}),
        (INBOX, {"status__exact": "ny"}),
        (INBOX, week),
        (INBOX, {"q": "lindq"}),
        (INBOX, {"q": "Örebro"}),
        (CONTACTS, {}),
    ]


def queries_per_page(client, program):
    counts = {}
    for url, query in list_urls(program):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200, (url, query)
        # Every list shows rows: an empty one would skip the row queries.
        assert response.context["object_list"], (url, query)
        counts[(url, str(query))] = len(queries)
    return counts


def test_the_inbox_runs_as_many_queries_at_1000_rows_as_at_10(
    manager_client, seed_pages
):
    program = ProgramPage.objects.live().order_by("path").first()
    form = seed_pages[INTEREST_FORM]
    # Two of today's, so that every filter finds something among ten rows.
    make_registration(form, "Lisa Lindqvist", [], organisation="Region Örebro län")
    make_registration(form, "Per Lindqvist", [program])
    generate(10, contacts=10)
    manager_client.get(INBOX)  # the session and content types, read once
    at_ten = queries_per_page(manager_client, program)

    generate(1000, contacts=1000)
    at_thousand = queries_per_page(manager_client, program)

    assert at_thousand == at_ten
    assert InterestSubmission.objects.count() == 1000
    # 16 for the list itself; the working-day inbox adds the visit it records
    # (2), the since-last-visit count, and its filter menus' choices; the
    # admissions summary adds the newest intake year and its capacities (2).
    assert max(at_ten.values()) <= 26


def reads_of_registrations(sql):
    """The statements that count over the registrations themselves."""
    return [text for text in sql if "COUNT(" in text and "interestsub" in text]


def test_a_filtered_inbox_is_counted_from_the_tallies_not_the_rows(
    manager_client, seed_pages
):
    generate(10)
    with CaptureQueriesContext(connection) as queries:
        manager_client.get(INBOX, {"status__exact": "ny"})
    sql = [query["sql"] for query in queries]
    # Not one count over the registrations: the filtered total, the whole
    # total ("x of y") and the table per programme and status are sums of
    # the tallies the database keeps.
    assert reads_of_registrations(sql) == []
    tallies = [text for text in sql if 'tally"' in text]
    assert len(tallies) == 3
    # (The admissions summary reads the intakes with their programmes apart.)
    choices = [
        text
        for text in sql
        if "programs_programpage" in text
        and "live" in text
        and "programs_intake" not in text
        and 'tally"' not in text
    ]
    assert len(choices) == 1
    # Without a filter the filtered count is the total: summed once.
    with CaptureQueriesContext(connection) as queries:
        manager_client.get(INBOX)
    totals = [
        query["sql"]
        for query in queries
        if "SUM(" in query["sql"] and "GROUP BY" not in query["sql"]
    ]
    assert len(totals) == 1


def test_a_searched_inbox_counts_its_own_rows_once(manager_client, seed_pages):
    generate(10)
    with CaptureQueriesContext(connection) as queries:
        manager_client.get(INBOX, {"q": "a"})
    counts = reads_of_registrations([query["sql"] for query in queries])
    # The searched list once and the table of counts (one GROUP BY); the whole
    # list's total is the tallies'.
    assert len(counts) == 2
    assert sum("GROUP BY" in text for text in counts) == 1


def csv_export(client, query=None):
    response = client.get(INBOX, {**(query or {}), "export": "csv"})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_lines(response):
    """The export's lines as they arrive, none kept (a cell that spans lines,
    a message written on several, is read on by the CSV reader)."""
    for block in response.streaming_content:
        yield from block.decode("utf-8-sig").splitlines()


def test_a_csv_export_of_10000_rows_is_complete_and_its_memory_bounded(
    manager_client, seed_pages
):
    generate(10_000, contacts=0)
    references = set()
    tracemalloc.start()
    try:
        response = manager_client.get(INBOX, {"export": "csv"})
        reader = csv.reader(csv_lines(response), delimiter=";")
        column = next(reader).index("Referens")
        for row in reader:
            references.add(row[column])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert response["X-Export-Row-Count"] == "10000"
    assert len(references) == 10_000
    assert peak < EXPORT_PEAK_BYTES, f"peak {peak / 2**20:.1f} MiB"


def test_a_csv_export_reads_the_database_in_chunks_not_per_row(
    manager_client, seed_pages
):
    """10 rows and 2,100 rows (three chunks) cost a chunk's queries more each."""
    generate(10, contacts=0)
    with CaptureQueriesContext(connection) as queries:
        csv_export(manager_client)
    at_ten = len(queries)
    generate(2_100, contacts=0)
    with CaptureQueriesContext(connection) as queries:
        text = csv_export(manager_client)
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 1 + 2100
    # Each further chunk: its rows (a cursor fetch on PostgreSQL is no query)
    # and its programmes.
    assert at_ten < len(queries) <= at_ten + 2 * 2


def test_a_csv_export_broken_off_midway_has_fewer_rows_than_it_announced(
    manager_client, seed_pages, monkeypatch
):
    """The database goes away after 1,200 rows: what arrived is no complete file."""
    generate(2_000, contacts=0)
    read_rows = SubmissionIndexView.export_rows

    def failing_midway(view, queryset):
        for number, row in enumerate(read_rows(view, queryset)):
            if number == 1_200:
                raise OperationalError("server closed the connection unexpectedly")
            yield row

    monkeypatch.setattr(SubmissionIndexView, "export_rows", failing_midway)
    response = manager_client.get(INBOX, {"export": "csv"})
    received = []
    with pytest.raises(OperationalError):
        for block in response.streaming_content:
            received.append(block.decode("utf-8-sig"))

    header, *rows = csv.reader(io.StringIO("".join(received)), delimiter=";")
    assert "Referens" in header
    assert 0 < len(rows) <= 1_200
    assert response["X-Export-Row-Count"] == "2000"
    assert response["Content-Disposition"].endswith('-2000-rader.csv"')


def test_the_home_panel_counts_in_one_query_at_10_and_at_1000_rows(seed_pages):
    generate(10, contacts=0)
    with CaptureQueriesContext(connection) as queries:
        small = new_registration_rows()
    assert len(queries) == 1
    generate(1000, contacts=0)
    with CaptureQueriesContext(connection) as queries:
        large = new_registration_rows()
    assert len(queries) == 1
    new = InterestSubmission.objects.filter(status=InterestSubmission.Status.NEW)
    assert sum(row["count"] for row in large) >= new.count()
    assert sum(row["count"] for row in large) > sum(row["count"] for row in small)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
)
def test_postgresql_has_trigram_indexes_the_search_uses(manager_client, seed_pages):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    for table in ("forms_interestsubmission", "forms_contactsubmission"):
        for column in ("reference", "name", "email", "organisation"):
            assert f"{table}_{column}_trgm" in names

    generate(10, contacts=0)
    search = InterestSubmission.objects.filter(name__icontains="ndqvi")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search.explain()
    assert "forms_interestsubmission_name_trgm" in plan


def test_search_finds_a_registration_by_a_piece_inside_its_fields(
    manager_client, seed_pages
):
    generate(50, contacts=0)
    someone = InterestSubmission.objects.order_by("pk")[25]
    middle = someone.email[3:12]

    response = manager_client.get(INBOX, {"q": middle.upper()})

    found = {submission.pk for submission in response.context["object_list"]}
    assert someone.pk in found
    expected = InterestSubmission.objects.filter(
        Q(reference__icontains=middle)
        | Q(name__icontains=middle)
        | Q(email__icontains=middle)
        | Q(organisation__icontains=middle)
    )
    assert response.context["result_count"] == expected.count()
