"""A page an editor schedules goes live when the cron job runs after its time."""

import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

import pytest

from programs.models import ThemePage

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

    with mock.patch.object(task_worker, "call_command") as publish:
        worker.publish_scheduled()
        publish.assert_not_called()
        worker.last_publish_check -= task_worker.PUBLISH_INTERVAL
        worker.publish_scheduled()
        publish.assert_called_once_with("publish_scheduled", stdout=mock.ANY)
