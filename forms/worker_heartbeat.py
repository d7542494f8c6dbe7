"""The task worker's heartbeat: written by the worker, read by ``/readyz``.

A worker beats every ``beat_seconds()`` as it goes round its loop, idle or
not; a beat older than ``settings.WORKER_HEARTBEAT_MAX_AGE`` means no worker is
taking tasks (stopped, stuck in a task, or cut off from the database). During a
task it writes ``busy_at`` instead (``busy``), which ``/readyz`` does not read
but ``forms.task_recovery`` does: that worker is alive, its task is not lost.
"""

import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .models import WorkerHeartbeat

BEAT_SECONDS = 10
# The row of a worker gone for this long (a restart gets a new id) is deleted.
FORGET_AFTER = datetime.timedelta(days=1)


def beat_seconds() -> float:
    """Every 10 s, or often enough for a short ``WORKER_HEARTBEAT_MAX_AGE``.

    A few beats fit in the maximum age, so one late beat does not make a live
    worker look dead (and its task taken from it).
    """
    return min(BEAT_SECONDS, max(settings.WORKER_HEARTBEAT_MAX_AGE / 4, 0.25))


def beat(worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now}
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def busy(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(busy_at=timezone.now())


def last_beat() -> datetime.datetime | None:
    """When any worker last beat, or None if none ever did (or long ago)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
