"""/healthz and /readyz: what a load balancer asks, answered cheaply and never kept.

Each readiness check is broken here the way it breaks in production where that
can be done in-process (a Redis nobody listens on, a migration not recorded, a
worker that stopped beating); the database is stopped for real in
tests/live/test_readiness.py.
"""

import datetime
import logging

from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import pytest

from forms.management.commands import task_worker
from forms.models import WorkerHeartbeat
from forms.worker_heartbeat import beat
from home import health
from tests.network import free_port

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def with_worker(settings):
    """Production's database queue, and a worker that has just beat."""
    settings.TASKS = DATABASE_TASKS
    beat("worker-1")


def readiness(client, **extra):
    response = client.get("/readyz", **extra)
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def test_healthz_says_ok_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


def test_readyz_names_every_check_when_all_pass(client, with_worker):
    status, body = readiness(client)

    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "migrations": "ok",
            "worker": "ok",
        },
    }


def test_no_worker_check_where_tasks_run_in_the_request(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }

    status, body = readiness(client)

    assert status == 200
    assert "worker" not in body["checks"]


def test_a_database_error_is_503_naming_the_database(
    client, with_worker, monkeypatch, caplog
):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", refused)

    status, body = readiness(client)

    assert status == 503
    assert body["status"] == "failed"
    assert body["checks"]["database"] == "failed"
    assert body["checks"]["cache"] == "ok"
    assert "connection refused" not in str(body), "the error is logged, not sent"
    assert "database: OperationalError: connection refused" in caplog.text


def test_a_redis_nobody_listens_on_is_503_naming_the_cache(
    client, with_worker, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "serving.cache_backends.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }

    status, body = readiness(client)

    assert status == 503
    assert body["checks"] == {
        "database": "ok",
        "cache": "failed",
        "migrations": "ok",
        "worker": "ok",
    }


def test_an_unapplied_migration_is_503_naming_migrations(
    client, with_worker, monkeypatch
):
    monkeypatch.setattr(health, "check_migrations", health.MigrationsCheck())
    MigrationRecorder.Migration.objects.filter(
        app="forms", name="0012_worker_heartbeat"
    ).delete()

    status, body = readiness(client)

    assert status == 503
    assert body["checks"]["migrations"] == "failed"
    assert body["checks"]["database"] == "ok"


def test_migrations_are_read_once_per_process_after_they_pass(
    client, with_worker, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(health, "check_migrations", health.MigrationsCheck())
    assert readiness(client)[0] == 200
    # A row gone from django_migrations would be seen only by a new process.
    MigrationRecorder.Migration.objects.filter(app="forms").delete()

    with django_assert_max_num_queries(2):
        status, body = readiness(client)

    assert status == 200, "database and worker: one query each"
    assert body["checks"]["migrations"] == "ok"


def test_no_heartbeat_at_all_is_503_naming_the_worker(client, settings):
    settings.TASKS = DATABASE_TASKS

    status, body = readiness(client)

    assert status == 503
    assert body["checks"]["worker"] == "failed"


def test_a_heartbeat_older_than_the_limit_is_503_naming_the_worker(
    client, with_worker, settings
):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    WorkerHeartbeat.objects.update(
        seen_at=timezone.now() - datetime.timedelta(seconds=121)
    )

    status, body = readiness(client)

    assert status == 503
    assert body["checks"]["worker"] == "failed"
    assert body["checks"]["database"] == "ok"


def test_probes_pass_the_host_check_and_the_https_redirect(
    client, with_worker, settings
):
    """A load balancer asks each instance by its address, over plain HTTP."""
    settings.ALLOWED_HOSTS = ["toppolitiker.skr.se"]
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert readiness(client, HTTP_HOST="10.0.0.7:8000")[0] == 200
    # Everything else still refuses that host.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_probes_are_never_served_from_the_page_cache(client, with_worker, settings):
    settings.PAGE_CACHE_SECONDS = 60
    readiness(client)
    WorkerHeartbeat.objects.all().delete()

    status, body = readiness(client)

    assert status == 503, "the second probe asked again"
    assert body["checks"]["worker"] == "failed"


def test_probes_answer_a_locked_out_address(client, django_user_model, settings):
    django_user_model.objects.create_superuser("redaktor", "r@example.org", "rätt")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": "redaktor", "password": f"fel-{attempt}"}
        )
    assert (
        client.post("/admin/login/", {"username": "redaktor", "password": "rätt"})
    ).status_code == 429

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_probes_log_at_debug_level(client, with_worker, caplog):
    with caplog.at_level(logging.DEBUG, logger="skr.request"):
        client.get("/healthz")
        client.get("/readyz")
        client.get("/robots.txt")

    levels = {
        record.path: record.levelno
        for record in caplog.records
        if record.name == "skr.request"
    }
    assert levels == {
        "/healthz": logging.DEBUG,
        "/readyz": logging.DEBUG,
        "/robots.txt": logging.INFO,
    }


def test_the_worker_beats_as_it_goes_round(settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    # The test's transaction is the connection's: leave it alone.
    monkeypatch.setattr(task_worker, "close_old_connections", lambda: None)
    worker = task_worker.ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="beating-worker",
        excluded_queue_names=[],
    )

    worker.run()

    seen = WorkerHeartbeat.objects.get(worker_id="beating-worker").seen_at
    assert timezone.now() - seen < datetime.timedelta(seconds=5)
