"""What a load balancer asks: is this process alive, and is it ready to serve?

``/healthz`` answers from the process alone (no database, no cache): a 200
says only that it runs and answers. ``/readyz`` asks what serving needs and
names each check with its state; one that fails makes it 503:

- ``database``: one ``SELECT 1``;
- ``cache``: one ``PING`` to Redis (the site serves without it, but slowly and
  with per-process rate limits; the fail-open cache would hide its absence);
- ``migrations``: none unapplied. The migrations on disk cannot change while the
  process runs, so after one success it is not asked again;
- ``worker``: a task worker beat within ``WORKER_HEARTBEAT_MAX_AGE`` seconds
  (forms.worker_heartbeat); not asked when tasks run in the request
  (the immediate backend of ``make run`` and the tests).

Each check is a function returning nothing or raising; the error is logged, not
sent (it may name hosts and users).
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from forms.worker_heartbeat import last_beat

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
SKIPPED = "not used"


class NotReady(Exception):
    pass


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Past the fail-open wrapper, which answers "miss" while Redis is away.
        if not backend._cache.get_client(write=True).ping():
            raise NotReady("Redis did not answer PING")
        return
    backend.set("readyz:probe", 1, 5)
    if backend.get("readyz:probe") != 1:
        raise NotReady("the cache did not keep a value")


class MigrationsCheck:
    """Unapplied migrations, asked until the first time there are none."""

    def __init__(self):
        self.applied = False

    def __call__(self):
        if self.applied:
            return
        connection = connections[DEFAULT_DB_ALIAS]
        loader = MigrationExecutor(connection).loader
        # Every node, not a plan to the leaves: Django plans nothing for a leaf
        # already applied, even with a migration below it unapplied.
        unapplied = set(loader.graph.nodes) - set(loader.applied_migrations)
        if unapplied:
            raise NotReady(f"{len(unapplied)} migrations not applied")
        self.applied = True


check_migrations = MigrationsCheck()


def worker_in_use() -> bool:
    return any(
        isinstance(task_backends[alias], DatabaseBackend) for alias in settings.TASKS
    )


def check_worker():
    beat = last_beat()
    limit = datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    if beat is None:
        raise NotReady("no task worker has beat")
    if timezone.now() - beat > limit:
        raise NotReady(f"the task worker last beat at {beat.isoformat()}")


def checks():
    found = {
        "database": check_database,
        "cache": check_cache,
        "migrations": check_migrations,
    }
    if worker_in_use():
        found["worker"] = check_worker
    return found


def run_checks() -> dict[str, str]:
    states = {}
    database_down = False
    for name, check in checks().items():
        if database_down and name in ("migrations", "worker"):
            # They read the database: not asked again while it is away.
            states[name] = FAILED
            continue
        try:
            check()
        except Exception as error:  # noqa: BLE001 (any failure means not ready)
            states[name] = FAILED
            database_down = database_down or name == "database"
            logger.warning("Not ready: %s: %s: %s", name, type(error).__name__, error)
        else:
            states[name] = OK
    if database_down:
        # The broken connection is not reused by the next probe.
        connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
    return states


def no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def healthz(request):
    return no_store(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


def readyz(request):
    states = run_checks()
    ready = all(state == OK for state in states.values())
    body = {"status": OK if ready else FAILED, "checks": states}
    return no_store(JsonResponse(body, status=200 if ready else 503))
