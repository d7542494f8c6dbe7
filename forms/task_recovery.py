"""Tasks left "running" by a worker that died go back to the queue.

django-tasks-db marks a task RUNNING when a worker claims it, with the
worker's id last in ``worker_ids``, and nothing gives it back if that worker is
killed (SIGKILL, the machine lost, out of memory): a CDN purge, an export or a
"Meddela mig" mailing would never happen. ``task_worker`` calls
``requeue_abandoned`` every few seconds: a RUNNING task whose worker has not
beaten (``forms.worker_heartbeat``: its loop or, during a task, ``busy_at``)
for ``WORKER_HEARTBEAT_MAX_AGE`` seconds is READY again, and a live worker
claims and runs it like any other.

Running a task twice must be harmless, as it may have done part of its work
before its worker died: ``forms.tasks.deliver`` and the status and opening
mailings lock their rows and skip what was sent, a CDN purge may be repeated, a
webhook delivery and an export only act on rows still pending.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task whose worker died this many times (it may be what kills them) fails.
MAX_RUNS = 10


def requeue_abandoned(backend_name: str, now: datetime.datetime | None = None):
    """Give back the tasks of dead workers; the ids of those given back.

    One query when there is nothing to do (the usual case). Two workers may do
    this at once: each write is conditional on the task being as it was read
    (still RUNNING, started at the same time), so a task is given back once,
    and not taken from a worker that claimed it again meanwhile.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    # Claimed since the cutoff: its worker beat just before claiming it.
    candidates = list(
        DBTaskResult.objects.running()
        .filter(backend_name=backend_name, started_at__lt=cutoff)
        .values_list("id", "started_at", "worker_ids")
    )
    if not candidates:
        return []
    holders = {workers[-1] for _pk, _started, workers in candidates if workers}
    alive = set(
        WorkerHeartbeat.objects.filter(worker_id__in=holders)
        .filter(Q(seen_at__gte=cutoff) | Q(busy_at__gte=cutoff))
        .values_list("worker_id", flat=True)
    )
    given_back = []
    for pk, started_at, workers in candidates:
        if workers and workers[-1] in alive:
            continue
        same = DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if len(workers) >= MAX_RUNS:
            if same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="forms.task_recovery.WorkerLost",
                traceback=f"Its worker stopped beating {len(workers)} times.",
            ):
                logger.error("Task id=%s lost %d workers; failed.", pk, len(workers))
            continue
        if same.update(status=TaskResultStatus.READY):
            logger.warning(
                "Task id=%s was left running by worker %s, which stopped beating;"
                " it goes back to the queue.",
                pk,
                workers[-1] if workers else "?",
            )
            given_back.append(pk)
    return given_back
