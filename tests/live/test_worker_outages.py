"""The e-mail worker outlives PostgreSQL restarting and Redis going away.

``manage.py task_worker`` runs as in production (production settings, the
database task backend, SMTP), against a PostgreSQL cluster, a Redis and an SMTP
sink of the test's own. The test breaks them under the running worker and then
queues a submission's e-mail: the worker is still there and the mail arrives.
(``db_worker``, django-tasks-db's own worker, exits at the first such error.)
"""

import select
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, environment, wait_for

pytestmark = pytest.mark.fault


@pytest.fixture
def worker_env(private_postgres, private_redis, smtp_sink):
    return environment(
        DATABASE_URL=private_postgres.url,
        REDIS_URL=private_redis.url,
        EMAIL_URL=smtp_sink.url,
    )


@pytest.fixture
def worker(worker_env, start_worker):
    return start_worker(worker_env)


class Enqueuer:
    """A web process's part: store a submission and queue its e-mail."""

    def __init__(self, env, log_path):
        self.log = open(log_path, "wb")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "tests.live.enqueue"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def queue(self, name, timeout=60):
        self.popen.stdin.write(f"{name}\n")
        self.popen.stdin.flush()
        ready, _, _ = select.select([self.popen.stdout], [], [], timeout)
        assert ready, f"queueing {name} took more than {timeout} s"
        assert self.popen.stdout.readline().strip() == f"queued {name}"

    def stop(self):
        self.popen.stdin.close()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)
        self.log.close()


@pytest.fixture
def enqueuer(worker_env, tmp_path):
    # It stands in for a web process, whose own use of Redis is not on trial here.
    env = {key: value for key, value in worker_env.items() if key != "REDIS_URL"}
    process = Enqueuer(env, tmp_path / "enqueue.log")
    yield process
    process.stop()


@pytest.fixture
def deliver(enqueuer, smtp_sink, worker):
    def deliver(name, timeout=20):
        """Queue a new submission's e-mail; wait for notification and receipt."""
        enqueuer.queue(name)

        def both_arrived():
            assert worker.alive, f"the worker died:\n{worker.output()}"
            return len(smtp_sink.received(f"{name}@exempel.se")) == 2

        wait_for(both_arrived, timeout, message=f"the e-mail of {name}")

    return deliver


def met_an_outage(worker):
    """Whether the worker has said it waits for the database (or has died)."""
    return "unavailable" in worker.output() or not worker.alive


def test_the_worker_outlives_a_postgresql_restart(private_postgres, worker, deliver):
    deliver("fore-omstart")

    private_postgres.stop()
    try:
        wait_for(lambda: met_an_outage(worker), 10, message="the worker to notice")
        assert worker.alive, f"the worker died:\n{worker.output()}"
    finally:
        private_postgres.start()
    deliver("efter-omstart")

    private_postgres.restart()
    deliver("efter-snabb-omstart")

    assert worker.alive
    assert worker.terminate() == 0, "SIGTERM stops it cleanly"


def test_the_worker_outlives_redis_going_away(private_redis, worker, deliver):
    deliver("med-redis")

    private_redis.kill()
    deliver("utan-redis")

    private_redis.start()
    deliver("redis-igen")

    assert worker.alive
    assert worker.terminate() == 0


def test_sigterm_stops_the_worker_while_it_waits_for_the_database(
    private_postgres, worker
):
    private_postgres.stop()
    try:
        wait_for(lambda: met_an_outage(worker), 10, message="the worker to notice")
        assert worker.alive, f"the worker died:\n{worker.output()}"
        started = time.monotonic()
        code = worker.terminate(timeout=10)
        assert code == 0, worker.output()
        assert time.monotonic() - started < 5, "it does not sit out its backoff"
    finally:
        private_postgres.start()
