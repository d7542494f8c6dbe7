"""``task_worker`` goes on through database and cache errors, in-process.

Faults are injected where the worker meets them (claiming a task, running it,
recording the outcome); waiting is recorded instead of slept. The real outages,
against a PostgreSQL and a Redis of the tests' own, are in tests/live/.
"""

import datetime
import time
import types
from unittest import mock

from django.db import IntegrityError, OperationalError
from django.db.models.signals import post_save
from django.utils import timezone

import pytest
import redis.exceptions
from django_tasks_db.models import DBTaskResult

from forms import task_recovery, worker_heartbeat
from forms.management.commands import task_worker
from forms.models import DeliveryState, InterestSubmission, WorkerHeartbeat
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

pytestmark = pytest.mark.django_db

STARTING_UP = "FATAL: the database system is starting up"


@pytest.fixture
def queued(settings, post, programs, recipients, mailoutbox):
    """A submission whose two messages wait in the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post(INTEREST_PATH, interest_data(programs))
    assert DBTaskResult.objects.count() == 2
    assert mailoutbox == []
    return InterestSubmission.objects.get()


@pytest.fixture
def waits(monkeypatch):
    """The worker's sleeps, recorded; its connection closing, counted."""
    slept, closed = [], []
    monkeypatch.setattr(task_worker, "time", types.SimpleNamespace(sleep=slept.append))
    monkeypatch.setattr(
        task_worker,
        "connections",
        types.SimpleNamespace(close_all=lambda: closed.append(True)),
    )
    # The test's transaction is the connection's: leave it alone.
    monkeypatch.setattr(task_worker, "close_old_connections", lambda: None)
    return types.SimpleNamespace(slept=slept, closed=closed)


def worker():
    return task_worker.ResilientWorker(
        queue_names=["default"],
        interval=1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def failing(original, error, times):
    """``original``, raising ``error`` on its first ``times`` calls."""
    calls = []

    def replacement(*args, **kwargs):
        calls.append(True)
        if len(calls) <= times:
            raise error
        return original(*args, **kwargs)

    replacement.calls = calls
    return replacement


def assert_all_sent(submission, mailoutbox):
    submission.refresh_from_db()
    assert submission.notification_state == DeliveryState.SENT
    assert submission.receipt_state == DeliveryState.SENT
    assert sorted(m.to[0] for m in mailoutbox) == [
        "anna@exempel.se",
        "programansvarig@exempel.se",
    ]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_it_waits_out_a_database_restart_with_growing_delays(
    queued, waits, mailoutbox, monkeypatch
):
    claim = failing(
        task_worker.ResilientWorker.claim_next, OperationalError(STARTING_UP), 4
    )
    monkeypatch.setattr(task_worker.ResilientWorker, "claim_next", claim)
    the_worker = worker()

    the_worker.run()

    assert waits.slept == [0.5, 1.0, 2.0, 4.0], "backoff, and no idle wait"
    assert len(waits.closed) == 4, "broken connections are closed each time"
    assert the_worker.delay == 0.5, "back to the first delay after a good round"
    assert_all_sent(queued, mailoutbox)


def test_the_delay_stops_growing_at_thirty_seconds(queued, waits, monkeypatch):
    claim = failing(
        task_worker.ResilientWorker.claim_next, OperationalError(STARTING_UP), 9
    )
    monkeypatch.setattr(task_worker.ResilientWorker, "claim_next", claim)

    worker().run()

    assert waits.slept == [0.5, 1, 2, 4, 8, 16, 30, 30, 30]


@pytest.mark.parametrize(
    "error",
    [
        redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379."),
        redis.exceptions.TimeoutError("Timeout reading from socket"),
    ],
    ids=["connection", "timeout"],
)
def test_a_cache_error_while_recording_a_task_is_survived(
    queued, waits, mailoutbox, error
):
    """A cache write on every task-result save (the page cache's old handler)
    raised while Redis was down and ended ``db_worker``."""
    calls = []

    def cache_down(sender, **kwargs):
        calls.append(True)
        if len(calls) <= 3:
            raise error

    post_save.connect(cache_down, sender=DBTaskResult, dispatch_uid="cache-down")
    try:
        worker().run()
    finally:
        post_save.disconnect(sender=DBTaskResult, dispatch_uid="cache-down")

    assert waits.slept[:3] == [0.5, 1.0, 2.0]
    assert_all_sent(queued, mailoutbox)


def test_a_task_cut_short_by_an_outage_runs_again_and_sends_once(
    queued, waits, mailoutbox, monkeypatch
):
    import forms.tasks

    deliver = failing(
        forms.tasks.deliver, OperationalError("server closed the connection"), 1
    )
    monkeypatch.setattr(forms.tasks, "deliver", deliver)

    worker().run()

    assert waits.slept == [0.5]
    assert len(deliver.calls) == 3, "the cut-short task ran again"
    assert_all_sent(queued, mailoutbox)
    runs = DBTaskResult.objects.values_list("worker_ids", flat=True)
    assert sorted(len(worker_ids) for worker_ids in runs) == [1, 2]


def test_an_outcome_the_database_refused_is_recorded_once_it_answers(
    queued, waits, mailoutbox, monkeypatch
):
    set_successful = failing(
        DBTaskResult.set_successful, OperationalError("connection refused"), 1
    )
    monkeypatch.setattr(DBTaskResult, "set_successful", set_successful)

    worker().run()

    assert waits.slept == [0.5]
    assert len(mailoutbox) == 2, "the task was not run again: nothing sent twice"
    assert_all_sent(queued, mailoutbox)


def test_a_task_that_always_meets_an_outage_fails_in_the_end(
    queued, waits, monkeypatch
):
    """It must not hold the queue for ever."""
    import forms.tasks

    def always_down(*args):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(forms.tasks, "deliver", always_down)

    worker().run()

    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {"FAILED"}
    for worker_ids in DBTaskResult.objects.values_list("worker_ids", flat=True):
        assert len(worker_ids) == task_worker.MAX_OUTAGE_RUNS


def test_a_task_with_its_own_database_error_fails_at_once(queued, waits, monkeypatch):
    """An integrity or SQL error is the task's, not an outage: no second run."""
    import forms.tasks

    def broken(*args):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(forms.tasks, "deliver", broken)

    worker().run()

    assert waits.slept == []
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}


def test_the_command_takes_db_workers_options(settings):
    from django.core.management import load_command_class

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    command = load_command_class("forms", "task_worker")
    parser = command.create_parser("manage.py", "task_worker")
    options = parser.parse_args(
        ["--queue-name", "default", "--interval", "2", "--batch", "--max-tasks", "3"]
    )

    assert options.interval == 2
    assert options.batch is True
    assert options.max_tasks == 3


def test_a_stop_asked_for_during_a_task_that_met_an_outage_does_not_wait(
    queued, waits, monkeypatch
):
    """SIGTERM while a task runs: the worker ends after it, without a backoff."""
    import forms.tasks

    the_worker = worker()

    def stopped_then_down(*args):
        the_worker.running = False  # what db_worker's SIGTERM handler does
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(forms.tasks, "deliver", stopped_then_down)

    the_worker.run()

    assert waits.slept == []
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["READY", "READY"], "back in the queue for the next worker"


def test_the_command_runs_the_queue_in_batch_mode(
    queued, waits, mailoutbox, monkeypatch
):
    from django.core.management import call_command

    # pytest keeps its own signal handlers.
    monkeypatch.setattr(
        task_worker.ResilientWorker, "configure_signals", lambda self: None
    )

    call_command(
        "task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )

    assert_all_sent(queued, mailoutbox)


def test_the_command_refuses_excluded_queues_without_all_queues(settings):
    from django.core.management import CommandError, call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(CommandError, match="exclude-queues"):
        call_command("task_worker", "--exclude-queues", "other", "--no-reload")


def test_db_worker_restarted_would_leave_a_cut_short_task_undone(
    queued, mailoutbox, monkeypatch
):
    """Why ``task_worker`` and not ``db_worker`` under ``Restart=always``
    (README): the same outage as above, under django-tasks-db's own worker. It
    exits, and a new one (the restart) never runs the task it had claimed."""
    from django_tasks_db.management.commands import db_worker

    import forms.tasks

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    # The database goes away during the first task: the send and then the
    # record of its failure both meet it.
    down = OperationalError("server closed the connection")
    monkeypatch.setattr(forms.tasks, "deliver", failing(forms.tasks.deliver, down, 1))
    monkeypatch.setattr(
        DBTaskResult, "set_failed", failing(DBTaskResult.set_failed, down, 1)
    )

    def plain_worker():
        return db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="db-worker",
            excluded_queue_names=[],
        )

    with pytest.raises(OperationalError):
        plain_worker().run()
    plain_worker().run()  # restarted, the database back

    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["RUNNING", "SUCCESSFUL"], "one task marked running for good"
    assert len(mailoutbox) == 1, "its message waits for the 15-minute cron sweep"


def held_by(worker_id, seconds_ago=300):
    """Every queued task, claimed by ``worker_id`` that long ago."""
    DBTaskResult.objects.update(
        status="RUNNING",
        worker_ids=[worker_id],
        started_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


def test_the_task_of_a_dead_worker_goes_back_to_the_queue_and_runs(
    queued, waits, mailoutbox, settings
):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    held_by("killed")
    WorkerHeartbeat.objects.create(
        worker_id="killed", seen_at=timezone.now() - datetime.timedelta(seconds=200)
    )

    worker().run()

    assert_all_sent(queued, mailoutbox)
    runs = DBTaskResult.objects.values_list("worker_ids", flat=True)
    assert list(runs) == [["killed", "test-worker"]] * 2


def test_a_worker_that_never_beat_has_its_task_given_back(queued, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    held_by("no-heartbeat")

    given_back = task_recovery.requeue_abandoned("default")

    assert sorted(given_back) == sorted(
        DBTaskResult.objects.values_list("pk", flat=True)
    )
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
    assert task_recovery.requeue_abandoned("default") == [], "given back once"


@pytest.mark.parametrize("field", ["seen_at", "busy_at"])
def test_the_task_of_a_live_worker_is_left_alone(
    queued, waits, mailoutbox, settings, field
):
    """Beating in its loop, or busy in one long task (``busy_at``)."""
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    held_by("alive")
    long_ago = timezone.now() - datetime.timedelta(seconds=600)
    WorkerHeartbeat.objects.create(
        worker_id="alive", **{"seen_at": long_ago, field: timezone.now()}
    )

    worker().run()

    assert mailoutbox == []
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"RUNNING"}


def test_a_task_claimed_within_the_maximum_age_is_left_alone(queued, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    held_by("just-claimed", seconds_ago=30)

    assert task_recovery.requeue_abandoned("default") == []


def test_a_task_claimed_again_since_it_was_read_is_not_taken(queued, settings):
    """Two workers giving back at once: the later write finds it claimed anew."""
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    held_by("killed")
    claim_again = DBTaskResult.objects.update

    original = task_recovery.WorkerHeartbeat.objects.filter

    def meanwhile(*args, **kwargs):
        # Between the read and the write another worker took them back and ran.
        claim_again(worker_ids=["killed", "other"], started_at=timezone.now())
        return original(*args, **kwargs)

    with mock.patch.object(
        task_recovery.WorkerHeartbeat.objects, "filter", side_effect=meanwhile
    ):
        assert task_recovery.requeue_abandoned("default") == []
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"RUNNING"}


def test_a_task_that_lost_its_worker_too_often_fails(queued, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    held_by("killed")
    DBTaskResult.objects.update(worker_ids=["killed"] * task_recovery.MAX_RUNS)

    assert task_recovery.requeue_abandoned("default") == []
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}


def test_a_long_task_says_its_worker_is_busy(settings, monkeypatch):
    settings.WORKER_HEARTBEAT_MAX_AGE = 1  # a beat every quarter second
    said = []
    monkeypatch.setattr(task_worker.worker_heartbeat, "busy", said.append)
    signal = task_worker.BusySignal("long-task")

    signal.start()
    time.sleep(0.8)
    signal.stop()
    after = len(said)
    time.sleep(0.4)

    assert 2 <= after <= 4 and set(said) == {"long-task"}
    assert len(said) == after, "not after the task"
    assert not signal.thread.is_alive()


def test_busy_leaves_the_loops_beat_alone():
    """``/readyz`` reads ``seen_at``: a worker in one task takes no new ones."""
    seen = timezone.now() - datetime.timedelta(seconds=600)
    WorkerHeartbeat.objects.create(worker_id="long-task", seen_at=seen)

    worker_heartbeat.busy("long-task")

    beat = WorkerHeartbeat.objects.get()
    assert beat.seen_at == seen and beat.busy_at > seen
    assert worker_heartbeat.last_beat() == seen
