"""A page an editor schedules goes live when the cron job runs after its time,
once, however many workers and cron jobs run ``publish_scheduled`` at once."""

import contextlib
import datetime
import io
import json
import threading
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wagtail.models import PageLogEntry, Revision

import pytest

from programs.models import ProgramPage, ThemePage
from tests.concurrency import run_at_once
from tests.home import fake_cdn
from tests.home.receiver import Receiver, start
from webhooks.models import Webhook

PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
THEME = PROGRAM + "ett-nytt-tema/"


@pytest.fixture
def scheduled_theme(seed_pages, admin_user):
    """A new theme, published by its editor to go live in an hour."""
    theme = ThemePage(
        title="Ett nytt tema",
        slug="ett-nytt-tema",
        description="<p>Ett tema som ska publiceras om en timme.</p>",
        live=False,
        go_live_at=timezone.now() + datetime.timedelta(hours=1),
    )
    seed_pages[PROGRAM].add_child(instance=theme)
    revision = theme.save_revision(user=admin_user)
    revision.publish(user=admin_user)  # with a future time this only schedules
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    return revision


def test_a_scheduled_page_waits_for_its_time_and_then_goes_live(
    client, scheduled_theme
):
    call_command("publish_scheduled", stdout=io.StringIO())
    assert client.get(THEME).status_code == 404

    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=in_two_hours):
        call_command("publish_scheduled", stdout=io.StringIO())

    response = client.get(THEME)
    assert response.status_code == 200
    assert "Ett tema som ska publiceras om en timme." in response.content.decode()


def test_the_task_worker_publishes_what_is_due_once_a_minute(client, scheduled_theme):
    """Each round of the worker asks; it publishes at most once a minute."""
    from forms.management.commands import task_worker

    worker = task_worker.ResilientWorker.__new__(task_worker.ResilientWorker)
    worker.last_publish_check = None
    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=in_two_hours):
        worker.publish_scheduled()
    assert client.get(THEME).status_code == 200

    with mock.patch.object(task_worker, "call_command") as command:
        worker.publish_scheduled()
        command.assert_not_called()
        worker.last_publish_check -= task_worker.PUBLISH_INTERVAL
        worker.publish_scheduled()
        # Publishing, then the opening notice a publish may have started.
        assert command.call_args_list == [
            mock.call("publish_scheduled", stdout=mock.ANY),
            mock.call("notify_interest_opening", stdout=mock.ANY),
        ]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    the_receiver = Receiver()
    server = start(the_receiver)
    yield the_receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def purged(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.home.fake_cdn.RecordingBackend"}
    }
    fake_cdn.PURGED.clear()
    yield fake_cdn.PURGED
    fake_cdn.PURGED.clear()


def schedule_theme(slug):
    """A new theme scheduled to go live in an hour, committed."""
    program = ProgramPage.objects.get(url_path__endswith=PROGRAM)
    theme = ThemePage(
        title="Ett samtidigt tema",
        slug=slug,
        description="<p>Publiceras en gång.</p>",
        live=False,
        go_live_at=timezone.now() + datetime.timedelta(hours=1),
    )
    program.add_child(instance=theme)
    revision = theme.save_revision()
    revision.publish()  # schedules, the time being in the future
    return theme


def publishing_together(original):
    """Revision.publish that waits for the other run to reach it too, so two runs
    that both found the revision due publish it at the same moment; a run that
    never gets there (it found nothing to do) lets the other go on after 2 s."""
    barrier = threading.Barrier(2, timeout=2)

    def publish(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return original(self, *args, **kwargs)

    return publish


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_two_runs_at_once_publish_purge_and_announce_a_due_page_once(
    committed_seed, django_db_blocker, receiver, purged
):
    """As the task worker of two machines (or one and the cron job) would."""
    slug = "ett-samtidigt-tema"
    url = f"http://testserver{PROGRAM}{slug}/"
    # Committed for real, as workers see it; removed again at the end (a
    # transactional test would flush the session's seed site).
    with django_db_blocker.unblock():
        webhook = Webhook.objects.create(
            name="Front-end", url=receiver.url, events=["page.published"]
        )
        theme = schedule_theme(slug)
        purged.clear()  # Wagtail purges a page's URL when it is scheduled too
        in_two_hours = timezone.now() + datetime.timedelta(hours=2)
        try:
            with (
                mock.patch("django.utils.timezone.now", return_value=in_two_hours),
                mock.patch.object(
                    Revision, "publish", publishing_together(Revision.publish)
                ),
            ):
                results = run_at_once(
                    lambda index: call_command(
                        "publish_scheduled", stdout=io.StringIO()
                    ),
                    2,
                )

            assert results == [None, None]
            published = PageLogEntry.objects.filter(
                page_id=theme.pk, action="wagtail.publish.scheduled"
            )
            assert published.count() == 1
            assert ThemePage.objects.get(pk=theme.pk).live
            assert webhook.deliveries.count() == 1
            [request] = receiver.received
            assert json.loads(request.body)["object"]["id"] == theme.pk
            assert purged.count(url) == 1
        finally:
            webhook.delete()
            PageLogEntry.objects.filter(page_id=theme.pk).delete()
            ThemePage.objects.get(pk=theme.pk).delete()
