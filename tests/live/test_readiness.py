"""/readyz fails while the database is stopped, and recovers when it is back.

gunicorn (production settings, ``gunicorn.conf.py``) and ``task_worker`` run
against a PostgreSQL cluster of the test's own; the test stops that cluster
(``pg_ctl stop -m fast``) under them and starts it again. Meanwhile /healthz,
which touches nothing, stays 200: a load balancer takes the instance out of
rotation without a service manager restarting it.
"""

import json
import sys
import urllib.error
import urllib.request

import pytest

from .conftest import Process, environment, wait_for

pytestmark = pytest.mark.fault


def probe(port, path):
    """(status, body) of a GET, as a load balancer sends it: by address."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def readiness(port):
    status, body = probe(port, "/readyz")
    return status, json.loads(body)


@pytest.fixture
def worker(private_postgres, tmp_path):
    process = Process(
        [sys.executable, "manage.py", "task_worker", "--interval", "0.5"]
        + ["--no-startup-delay", "--no-reload"],
        environment(DATABASE_URL=private_postgres.url),
        tmp_path / "worker.log",
    )
    yield process
    process.stop()


def test_readyz_fails_while_postgresql_is_stopped_and_recovers(
    private_postgres, worker, start_gunicorn
):
    port, server = start_gunicorn(
        DATABASE_URL=private_postgres.url, WEB_CONCURRENCY="1", GUNICORN_THREADS="2"
    )
    wait_for(
        lambda: readiness(port)[0] == 200,
        60,
        interval=0.5,
        message=f"/readyz to pass (worker log:\n{worker.output()})",
    )
    assert readiness(port)[1]["checks"] == {
        "database": "ok",
        "cache": "ok",
        "migrations": "ok",
        "worker": "ok",
    }

    private_postgres.stop()
    try:
        status, body = readiness(port)
        assert status == 503, body
        assert body["checks"]["database"] == "failed"
        assert body["status"] == "failed"
        assert probe(port, "/healthz") == (200, b"ok")
        assert server.alive
    finally:
        private_postgres.start()

    wait_for(
        lambda: readiness(port)[0] == 200,
        60,
        interval=0.5,
        message="/readyz to pass again once PostgreSQL is back",
    )
    assert worker.alive, "the worker waited the outage out"
    # gunicorn's access log (JSON on stdout) has the probe's line, without the
    # query string.
    assert probe(port, "/robots.txt?email=anna%40exempel.se")[0] == 200
    output = server.output()
    assert "GET /readyz 503" in output
    assert "GET /robots.txt 200" in output
    assert "anna" not in output
