"""Two ``publish_scheduled`` processes on one SQLite file publish a due page once.

On PostgreSQL an advisory lock keeps the second run out (tests/programs); on
SQLite the run's transaction takes the database's write lock as it begins, and
the second run, let in after the first commits, finds nothing left to publish.
Each process here holds its publish until the other has found the page due too
(or 5 s have passed), which is how two workers published it twice.
"""

import sqlite3
import subprocess
import sys

import pytest

from .conftest import ROOT, environment, manage

pytestmark = pytest.mark.fault

SCHEDULE = """
import datetime
from django.utils import timezone
from programs.models import ProgramPage, ThemePage
program = ProgramPage.objects.get(slug="toppolitikerprogrammet")
theme = ThemePage(
    title="Ett samtidigt tema", slug="ett-samtidigt-tema",
    description="<p>En gång.</p>", live=False,
    go_live_at=timezone.now() + datetime.timedelta(hours=1),
)
program.add_child(instance=theme)
theme.save_revision().publish()
print(theme.pk)
"""

# Both runs wait in Revision.publish for the other (files in RENDEZVOUS) as
# two workers that queried at the same moment would be.
RUN = """
import datetime, io, os, pathlib, time
from unittest import mock
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision
here = pathlib.Path(os.environ["RENDEZVOUS"])
original = Revision.publish
def publish(self, *args, **kwargs):
    (here / str(os.getpid())).touch()
    deadline = time.monotonic() + 5
    while len(list(here.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    return original(self, *args, **kwargs)
later = timezone.now() + datetime.timedelta(hours=2)
with mock.patch.object(Revision, "publish", publish), mock.patch(
    "django.utils.timezone.now", return_value=later
):
    call_command("publish_scheduled", stdout=io.StringIO())
"""


def test_two_runs_on_one_sqlite_file_publish_a_due_page_once(sqlite_copy, tmp_path):
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()
    env = environment(
        DATABASE_URL=f"sqlite:///{sqlite_copy}", RENDEZVOUS=str(rendezvous)
    )
    page_id = int(manage(env, "shell", "-c", SCHEDULE).split()[-1])

    runs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", RUN],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    with sqlite3.connect(sqlite_copy) as db:
        (published,) = db.execute(
            "SELECT count(*) FROM wagtailcore_pagelogentry"
            " WHERE page_id = ? AND action = 'wagtail.publish.scheduled'",
            [page_id],
        ).fetchone()
        (live,) = db.execute(
            "SELECT live FROM wagtailcore_page WHERE id = ?", [page_id]
        ).fetchone()
    db.close()
    assert (published, live) == (1, 1)
