from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """When each task worker last went round its loop, or last showed life.

    In the database, not the cache: the web processes' readiness check
    (``/readyz``) must see the worker's beat whatever the cache is (Redis
    restarted empty, or a per-process cache on one machine).

    ``seen_at`` is the loop's beat (``/readyz`` reads it: a worker in one long
    task takes no new ones). ``busy_at`` is written during a task, so the other
    workers do not take a long task of a live worker for one left by a dead one.
    """

    worker_id = models.CharField(_("arbetar-id"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("senast sedd"), db_index=True)
    busy_at = models.DateTimeField(_("senast sedd i ett jobb"), null=True, blank=True)

    class Meta:
        verbose_name = _("bakgrundsarbetarens puls")
        verbose_name_plural = _("bakgrundsarbetarnas puls")

    def __str__(self):
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"
