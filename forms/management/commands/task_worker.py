"""The e-mail worker: django-tasks-db's ``db_worker`` that outlives outages.

``db_worker`` exits on the first database or cache error it meets: PostgreSQL
restarting ("the database system is starting up"), a dropped connection, Redis
gone. Nothing sends e-mail after that until someone notices. ``task_worker``
takes the same options and runs the same loop, but on such an error it closes
the broken connections, logs a warning, waits (0.5 s, doubling up to 30 s, back
to 0.5 s after the next good round) and goes on. SIGTERM and Ctrl-C stop it as
before: at once while it waits, after the running task otherwise.

A task cut short by an outage goes back to the queue and runs again once the
services answer (at most ``MAX_OUTAGE_RUNS`` times, so a task that always fails
this way cannot hold the queue). What the worker could not record about a task
(done, failed, back in the queue) it keeps and writes as soon as the database is
back. A delivery sends nothing twice when run again: ``forms.tasks.deliver``
locks its submission and skips a message already sent.

A task left "running" by a worker that was killed goes back to the queue when
that worker's heartbeat is older than ``WORKER_HEARTBEAT_MAX_AGE``
(``forms.task_recovery``): each worker looks at every beat. While a task runs, a
thread says the worker is busy (``busy_at``), so a long task is not taken from a
live worker.
"""

import contextlib
import io
import logging
import os
import random
import threading
import time
from time import monotonic

from django.core.exceptions import SuspiciousOperation
from django.core.management import call_command
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

import redis.exceptions
from django_tasks_db.compat import (
    TaskContext,
    TaskResultStatus,
    task_finished,
    task_started,
)
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from forms import task_recovery, worker_heartbeat

logger = logging.getLogger("django_tasks_db.task_worker")

CACHE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# The database or the cache went away (or is starting up): wait and go on. A
# task that meets one of these runs again; a write about a task is kept for later.
OUTAGE_ERRORS = (OperationalError, InterfaceError, *CACHE_ERRORS)
# What the loop survives: any database error too. A task that raises one of the
# others (integrity, SQL, bad data) has failed; it does not run again.
LOOP_ERRORS = (DatabaseError, *OUTAGE_ERRORS)
MAX_OUTAGE_RUNS = 10
PUBLISH_INTERVAL = 60.0
FIRST_DELAY = 0.5
MAX_DELAY = 30.0


class ResilientWorker(db_worker.Worker):
    """``db_worker``'s loop, with every round guarded against outages."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.delay = FIRST_DELAY
        self.in_outage = False
        # Writes about tasks that the database refused: (task, write, value).
        self.unsettled = []
        self.last_publish_check = None
        self.last_beat = None

    def run(self):
        logger.info(
            "Starting worker worker_id=%s queues=%s",
            self.worker_id,
            ",".join(self.queue_names),
        )
        if self.startup_delay and self.interval:
            # A small random delay, so restarted workers do not start as a herd.
            time.sleep(random.random())  # noqa: S311 (jitter, not a secret)

        while self.running:
            try:
                task_result, retrieved = self.run_once()
            except LOOP_ERRORS as error:
                if not self.running:
                    # Stopped (SIGTERM) during the task that met the outage.
                    logger.warning("Stopping after an outage error: %s", error)
                    return
                self.wait_out(error)
                continue
            self.back_to_normal()

            if self.batch and retrieved and task_result is None:
                logger.info(
                    "No more tasks to run for worker_id=%s - exiting gracefully.",
                    self.worker_id,
                )
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            # After a task, look for the next one at once; when idle, wait.
            if self.running and task_result is None:
                time.sleep(self.interval)

    def run_once(self):
        """One round: settle what is owed, claim a task, run it."""
        # Drop connections that died while waiting (a database restart).
        close_old_connections()
        self.settle()
        self.heartbeat()
        self.publish_scheduled()
        task_result, retrieved = self.claim_next()
        if task_result is not None:
            self.run_task(task_result)
        close_old_connections()
        return task_result, retrieved

    def heartbeat(self):
        """Say in the database that this worker goes round (``/readyz`` reads it).

        Written before a task is claimed, so a worker stuck in one long task
        stops beating, and one cut off from the database cannot beat. Then
        the tasks of workers that stopped beating go back to the queue.
        """
        now = monotonic()
        if self.last_beat is not None and now - self.last_beat < (
            worker_heartbeat.beat_seconds()
        ):
            return
        worker_heartbeat.beat(self.worker_id)
        self.last_beat = now
        task_recovery.requeue_abandoned(self.backend_name)

    def publish_scheduled(self):
        """Wagtail's scheduled publishing, once a minute.

        Pages, intakes and form drafts set to go live at a time then go live
        where the worker runs, even with no cron job for ``publish_scheduled``.
        The command (``home``'s) takes a database lock, so workers on several
        machines and a cron job publish each due revision once.
        """
        now = monotonic()
        due = self.last_publish_check is None
        if not due and now - self.last_publish_check < PUBLISH_INTERVAL:
            return
        self.last_publish_check = now
        call_command("publish_scheduled", stdout=io.StringIO())
        # An interest window opens at its time: the "Meddela mig" e-mails go then.
        call_command("notify_interest_opening", stdout=io.StringIO())

    def claim_next(self):
        """The next ready task, claimed for this worker, as ``db_worker`` does."""
        tasks = db_worker.DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name
        )
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)

        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                # SQLite busy: it unlocks soon, try again next round.
                if is_locked_database_exception(error):
                    return None, False
                raise
            if task_result is not None:
                # Claimed in the same transaction: no other worker runs it.
                task_result.claim(self.worker_id)
        return task_result, True

    def run_task(self, db_task_result):
        """Run a claimed task and record how it went; raise if it met an outage."""
        busy = BusySignal(self.worker_id)
        try:
            self.running_task = True
            busy.start()
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                task_started.send(sender=task.get_backend(), task_result=task_result)
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except OUTAGE_ERRORS as error:
                if len(db_task_result.worker_ids) < MAX_OUTAGE_RUNS:
                    # Not the task's fault: it runs again once the service is back.
                    self.record(db_task_result, self.requeue, None)
                    raise
                self.record(db_task_result, self.finish_failed, error)
            except BaseException as error:  # noqa: BLE001 (as db_worker: any failure)
                self.record(db_task_result, self.finish_failed, error)
            else:
                try:
                    self.record(db_task_result, self.finish_successful, value)
                except OUTAGE_ERRORS:
                    raise
                except Exception as error:  # noqa: BLE001 (a value it cannot store)
                    self.record(db_task_result, self.finish_failed, error)
        finally:
            busy.stop()
            self.running_task = False
            self._run_tasks += 1

    def record(self, db_task_result, write, value):
        """Write a task's outcome; if the database refuses, keep it for later."""
        try:
            write(db_task_result, value)
        except OUTAGE_ERRORS:
            self.unsettled.append((db_task_result, write, value))
            raise

    def settle(self):
        """Write what could not be recorded during an outage."""
        while self.unsettled:
            db_task_result, write, value = self.unsettled[0]
            try:
                write(db_task_result, value)
            except OUTAGE_ERRORS:
                raise
            except Exception:  # a write that cannot work is not tried again
                logger.exception("Could not record task id=%s", db_task_result.id)
            self.unsettled.pop(0)

    @staticmethod
    def finish_successful(db_task_result, value):
        db_task_result.set_successful(value)
        task_finished.send(
            sender=type(db_task_result.task.get_backend()),
            task_result=db_task_result.task_result,
        )

    @staticmethod
    def finish_failed(db_task_result, error):
        db_task_result.set_failed(error)
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        else:
            task_finished.send(sender=sender, task_result=task_result)

    @staticmethod
    def requeue(db_task_result, _value):
        logger.warning(
            "Task id=%s met an outage; it goes back to the queue.", db_task_result.id
        )
        # Only if still ours: written late (after an outage), the task may
        # have been given back and finished by another worker meanwhile.
        db_task_result.status = TaskResultStatus.READY
        db_worker.DBTaskResult.objects.filter(
            pk=db_task_result.pk,
            status=TaskResultStatus.RUNNING,
            started_at=db_task_result.started_at,
        ).update(status=TaskResultStatus.READY)

    def wait_out(self, error):
        """Close what broke, say so, wait a growing while."""
        self.in_outage = True
        # A connection that cannot even close is gone anyway.
        with contextlib.suppress(LOOP_ERRORS):
            connections.close_all()
        logger.warning(
            "Database or cache unavailable (%s: %s); trying again in %.1f s.",
            type(error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
            self.delay,
        )
        # SIGTERM here exits at once (db_worker's handler: no task is running).
        time.sleep(self.delay)
        self.delay = min(self.delay * 2, MAX_DELAY)

    def back_to_normal(self):
        if self.in_outage:
            logger.warning("Database and cache answer again; worker goes on.")
        self.in_outage = False
        self.delay = FIRST_DELAY


class BusySignal:
    """While a task runs, ``busy_at`` every beat, from a thread of its own.

    The first write comes a beat after the start: a short task (most are)
    costs no query and no connection.
    """

    def __init__(self, worker_id):
        self.worker_id = worker_id
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.done.set()
        self.thread.join(timeout=5)

    def run(self):
        wrote = False
        try:
            while not self.done.wait(worker_heartbeat.beat_seconds()):
                try:
                    worker_heartbeat.busy(self.worker_id)
                    wrote = True
                except LOOP_ERRORS as error:
                    logger.warning("Could not say the worker is busy: %s", error)
        finally:
            if wrote:
                # The thread's own connection, opened by the writes.
                with contextlib.suppress(LOOP_ERRORS):
                    connections.close_all()


class Command(db_worker.Command):
    help = (
        "Kör bakgrundsjobben (e-post) som db_worker, men överlever att databasen "
        "eller cachen är borta en stund: väntar och försöker igen."
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot go together: no reload.")
            reload = False

        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise db_worker.CommandError(
                "--exclude-queues can only be used with --queue-name=*"
            )

        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
