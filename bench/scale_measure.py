"""The measuring half of ``make bench-scale``, run inside Django by ``scale.py``.

Grows the database to each size given (``SCALE_SIZES``, registrations), then
measures what a programme manager does: the inbox list with its default order,
each filter (possible duplicates among them: one in a hundred registrations
is given the address of another of its year), a search, the contact list, the
admin home panels (new registrations, registrations per week), the CSV and XLSX
exports and the purge. The inbox list carries its duplicate flags, the
table of counts per programme and status and the summary of places per intake
("Antagna 30 av 30 platser"): each intake of the newest year is given 30 places,
filled, and 5 reserves. Each measurement reports wall time
(the median of ``SCALE_REPEAT`` runs for pages), SQL queries, the peak of
Python's allocations (tracemalloc, in a run of its own, since tracing slows
everything) and the growth of the process's peak resident memory. Prints one
JSON object per line.
"""

import contextlib
import io
import json
import os
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from devtools.management.commands.generate_submissions import (  # noqa: E402
    Command as GenerateSubmissions,
)
from forms import (  # noqa: E402
    dashboard,
    tally,
    weekly_chart,
)
from forms.admin import registrations_tally_query  # noqa: E402
from forms.admissions import capacities  # noqa: E402
from forms.background_exports import build_export  # noqa: E402
from forms.inbox_counts import programme_status_counts  # noqa: E402
from forms.management.commands.purge_submissions import (  # noqa: E402
    delete_in_batches,
)
from forms.models import (  # noqa: E402
    Admission,
    AdmissionStatus,
    ContactSubmission,
    InterestSubmission,
    SpreadsheetExport,
)
from programs.models import Intake, ProgramPage  # noqa: E402

INBOX = "/admin/intresseanmalningar/"
CONTACTS = "/admin/kontaktforfragningar/"
REPEAT = int(os.environ.get("SCALE_REPEAT", "5"))
TRACE = os.environ.get("SCALE_TRACEMALLOC", "1") != "0"
MANAGERS = "Programansvariga"
HOST = "127.0.0.1"


def rss_kib(field):
    """A field of /proc/self/status (VmRSS, VmHWM) in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak_rss():
    """Linux lets a process reset its peak RSS (VmHWM) to the current RSS."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def timed(action):
    """Wall seconds, queries, seconds in SQL and peak RSS growth (MiB) of one
    run of ``action``."""
    reset_peak_rss()
    before = rss_kib("VmRSS")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        outcome = action()
        seconds = time.perf_counter() - started
    growth = max(0, rss_kib("VmHWM") - before) / 1024
    sql = sum(float(query["time"]) for query in queries.captured_queries)
    return seconds, len(queries), sql, growth, outcome


def traced_peak(action):
    """Peak of Python allocations (MiB) during one run of ``action``."""
    if not TRACE:
        return None
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(name, action, repeat=REPEAT, warm=True):
    if warm:
        action()  # warm: caches, the connection, imported modules
    runs = [timed(action) for _ in range(repeat)]
    result = {
        "name": name,
        "seconds": statistics.median(run[0] for run in runs),
        "queries": runs[0][1],
        "sql_seconds": statistics.median(run[2] for run in runs),
        "rss_growth_mib": max(run[3] for run in runs),
        "traced_peak_mib": traced_peak(action),
        "outcome": runs[0][4],
    }
    print(json.dumps(result), flush=True)
    return result


def manager_client():
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username="bench-manager", defaults={"email": "bench@exempel.se"}
    )
    if created:
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=MANAGERS))
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return client


def fetched(client, url, query=None):
    """GET a page or a download and read all of it; the size and status."""

    def action():
        response = client.get(url, query or {})
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        return {"status": response.status_code, "bytes": size}

    return action


def page_cases(client):
    program = ProgramPage.objects.live().order_by("path").first()
    week_ago = timezone.localdate() - timedelta(days=7)
    tomorrow = timezone.localdate() + timedelta(days=1)
    newest = InterestSubmission.objects.order_by("-submit_time").first()
    middle = InterestSubmission.objects.order_by("pk")[
        InterestSubmission.objects.count() // 2
    ]
    # One sender's address, cut short: a search that finds a handful.
    address = middle.email.split("@")[0][:-1]
    return [
        ("inbox list (default order; flags, counts, places)", INBOX, {}),
        ("filter: possible duplicates", INBOX, {"dubbletter": "ja"}),
        ("filter: status admitted", INBOX, {"status__exact": "antagen"}),
        ("filter: programme", INBOX, {"program": program.pk}),
        ("filter: no programme", INBOX, {"program": "inget"}),
        ("filter: intake year", INBOX, {"intake_year": newest.intake_year}),
        ("filter: status new", INBOX, {"status__exact": "ny"}),
        (
            "filter: past 7 days",
            INBOX,
            {"submit_time__gte": str(week_ago), "submit_time__lt": str(tomorrow)},
        ),
        ("search: name substring", INBOX, {"q": "lindq"}),
        ("search: organisation", INBOX, {"q": "Örebro"}),
        ("search: e-mail, few hits", INBOX, {"q": address}),
        ("contact list (default order)", CONTACTS, {}),
    ]


def measure_pages(client, size):
    for name, url, query in page_cases(client):
        measure(f"{size}|{name}", fetched(client, url, query))
    measure(f"{size}|dashboard panel", lambda: len(dashboard.new_registration_rows()))
    measure(
        f"{size}|weekly chart panel",
        lambda: sum(week["count"] for week in weekly_chart.weekly_counts()),
    )
    newest_year = Intake.objects.order_by("-year").values_list("year", flat=True)[0]
    inbox = registrations_tally_query({})
    measure(
        f"{size}|counts per programme and status (the inbox's, from the tallies)",
        lambda: len(
            programme_status_counts(InterestSubmission.objects.all(), inbox)["rows"]
        ),
    )
    measure(
        f"{size}|counts per programme and status (a search's, from its rows)",
        lambda: len(programme_status_counts(InterestSubmission.objects.all())["rows"]),
    )
    measure(
        f"{size}|places per intake (admitted, reserves)",
        lambda: [capacity.admitted for capacity in capacities(newest_year)],
    )
    measure(f"{size}|admin home with the panels", fetched(client, "/admin/"))


def measure_exports(client, size):
    csv_export = fetched(client, INBOX, {"export": "csv"})
    measure(f"{size}|CSV export", csv_export, repeat=1, warm=False)
    xlsx = fetched(client, INBOX, {"export": "xlsx"})
    asked = measure(f"{size}|XLSX export: the request", xlsx, repeat=1, warm=False)
    if asked["outcome"]["status"] == 302:  # queued: the worker's part
        measure(f"{size}|XLSX export: built by the worker", build_next, 1, False)


def build_next():
    """What the task worker does with the oldest queued export: build it."""
    pending = SpreadsheetExport.objects.filter(state=SpreadsheetExport.State.PENDING)
    export = pending.order_by("pk").first()
    state = build_export.call(export.pk)
    export.refresh_from_db()
    return {"state": state, "rows": export.row_count, "bytes": export.file.size}


def purge(*args):
    out = io.StringIO()
    call_command("purge_submissions", *args, stdout=out)
    return next(line for line in out.getvalue().splitlines() if "Totalt" in line)


def measure_purge(size):
    measure(f"{size}|purge --dry-run", lambda: purge("--dry-run"), repeat=1)
    before = InterestSubmission.objects.count() + ContactSubmission.objects.count()
    # One real run: what it deletes is gone afterwards.
    seconds, queries, sql, growth, outcome = timed(purge)
    print(
        json.dumps(
            {
                "name": f"{size}|purge",
                "seconds": seconds,
                "queries": queries,
                "sql_seconds": sql,
                "rss_growth_mib": growth,
                "traced_peak_mib": None,
                "outcome": f"{outcome} (of {before})",
            }
        ),
        flush=True,
    )


def check_tallies():
    """The bulk inserts, updates and the purge must have left them right."""
    wrong = tally.differences()
    if wrong:
        raise SystemExit(f"the inbox tallies disagree with the rows: {wrong}")


def grow_to(size):
    present = InterestSubmission.objects.count()
    if present < size:
        out = io.StringIO()
        started = time.perf_counter()
        # The command object itself: production settings do not install
        # devtools, whose command it is.
        call_command(
            GenerateSubmissions(), size - present, "--yes", "--seed", size, stdout=out
        )
        seconds = time.perf_counter() - started
        print(json.dumps({"generated": size - present, "seconds": seconds}), flush=True)
    make_duplicates()
    make_admissions()
    check_tallies()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after such growth; measured at once, the
        # queries would be planned on the statistics of a near-empty table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


DUPLICATE_EVERY = 100


def make_duplicates():
    """One registration in a hundred sent again: the next one's address becomes
    this one's, as when a person registers twice in a year."""
    rows = list(
        InterestSubmission.objects.order_by("intake_year", "pk").values_list(
            "pk", "email", "intake_year"
        )
    )
    for index in range(0, len(rows) - 1, DUPLICATE_EVERY):
        (_pk, email, year), (next_pk, _email, next_year) = rows[index : index + 2]
        if year == next_year:
            InterestSubmission.objects.filter(pk=next_pk).update(email=email.upper())


PLACES = 30
RESERVES = 5


def make_admissions():
    """Each intake of the newest year full: 30 of its registrations admitted
    and 5 on the waiting list, as after a manager's working day (made afresh
    at each size: the purge deleted some of the last size's)."""
    newest = Intake.objects.order_by("-year").values("year")[:1]
    for intake in Intake.objects.filter(year=newest):
        Intake.objects.filter(pk=intake.pk).update(places=PLACES)
        Admission.objects.filter(intake=intake).delete()
        chosen = InterestSubmission.objects.filter(
            programs=intake.program_id, intake_year=intake.year
        ).order_by("pk")[: PLACES + RESERVES]
        statuses = [AdmissionStatus.ACCEPTED] * PLACES
        statuses += [AdmissionStatus.RESERVE] * RESERVES
        # An intake with fewer registrations than 35 gets what it has.
        pairs = zip(chosen.values_list("pk", flat=True), statuses, strict=False)
        admissions = [
            Admission(submission_id=pk, intake=intake, status=status)
            for pk, status in pairs
        ]
        Admission.objects.bulk_create(admissions)
        for status in (AdmissionStatus.ACCEPTED, AdmissionStatus.RESERVE):
            InterestSubmission.objects.filter(
                pk__in=[one.submission_id for one in admissions if one.status == status]
            ).update(status=status)


def main():
    sizes = [int(size) for size in os.environ.get("SCALE_SIZES", "1000").split(",")]
    client = manager_client()
    for size in sizes:
        if InterestSubmission.objects.count() > size:
            delete_in_batches(InterestSubmission.objects.all())
            delete_in_batches(ContactSubmission.objects.all())
        # Tops up what the last size's purge deleted, with dates spread anew.
        grow_to(size)
        measure_pages(client, size)
        measure_exports(client, size)
        measure_purge(size)
        check_tallies()


if __name__ == "__main__":
    main()
