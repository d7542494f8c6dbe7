"""The task worker's heartbeat: written by the worker, read by ``/readyz``.

A worker beats at most every ``BEAT_SECONDS`` as it goes round its loop, idle
or not; a beat older than ``settings.WORKER_HEARTBEAT_MAX_AGE`` means no worker
is taking tasks (stopped, stuck in a task, or cut off from the database).
"""

import datetime

from django.db.models import Max
from django.utils import timezone

from .models import WorkerHeartbeat

BEAT_SECONDS = 10
# The row of a worker gone for this long (a restart gets a new id) is deleted.
FORGET_AFTER = datetime.timedelta(days=1)


def beat(worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now}
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def last_beat() -> datetime.datetime | None:
    """When any worker last beat, or None if none ever did (or long ago)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
