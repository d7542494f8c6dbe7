"""Real servers for the tests in this folder, each started here and stopped after.

These tests run the project as it runs in production: gunicorn or runserver, the
e-mail worker, a PostgreSQL cluster and a Redis of their own, an SMTP sink, all as
separate processes on 127.0.0.1 and free ports. What a test breaks (restarts,
kills) is its own: the machine's PostgreSQL and Redis are never touched. A test
whose server binary is missing is skipped, saying which.
"""

import asyncio
import contextlib
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from glob import glob
from pathlib import Path

import pytest

from tests.network import free_port

ROOT = Path(__file__).resolve().parents[2]
# The same secret as cms.settings.test: the test process signs challenges the
# servers verify (tests.verification.solved_payload).
ALTCHA_SECRET = "test-altcha-secret"
CLEARED = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "EMAIL_HOST",
    "PAGE_CACHE_SECONDS",
    "FORM_RATE_LIMIT",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "PORT",
    "BIND",
    "SINGLE_MACHINE",
}


def environment(settings="production", **extra):
    """The environment of a deployed process (or of ``make run``: ``dev``)."""
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE=f"cms.settings.{settings}",
        SECRET_KEY="live-test-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ALTCHA_HMAC_SECRET=ALTCHA_SECRET,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        # One machine on purpose: most servers here run on a SQLite file or
        # without Redis; a test that passes both URLs runs as a cluster would.
        SINGLE_MACHINE="1",
    )
    env.update(extra)
    return env


def manage(env, *args, timeout=180):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {args}: {result.stdout}{result.stderr}"
    return result.stdout


class Process:
    """A server started by a test, its output in a file shown when it fails.

    In a session of its own, so that ``kill`` takes its children with it (a
    gunicorn master's workers) and nothing else.
    """

    def __init__(self, args, env, log_path, cwd=ROOT):
        self.log_path = Path(log_path)
        self.log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def alive(self):
        return self.popen.poll() is None

    def output(self):
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def terminate(self, timeout=10):
        """SIGTERM, as systemd stops a service; the exit code."""
        if self.alive:
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)
            return None

    def kill(self):
        """SIGKILL to the process and its children, as a machine lost would go."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self):
        if self.alive:
            self.terminate()
        # What the leader left behind (a gunicorn worker) shares its group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.log.close()


def wait_for(predicate, timeout, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


def http_get(port, path, timeout=5):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def wait_for_http(port, process, path="/robots.txt", timeout=30):
    def answers():
        assert process.alive, f"server exited:\n{process.output()}"
        try:
            return http_get(port, path, timeout=2)[0] == 200
        except (OSError, urllib.error.URLError):
            return False

    wait_for(answers, timeout, interval=0.2, message=f"http://127.0.0.1:{port}{path}")


# A migrated and seeded SQLite database, made once per session, copied per test.


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("seeded") / "template.sqlite3"
    env = environment(DATABASE_URL=f"sqlite:///{path}")
    manage(env, "migrate", "--noinput")
    manage(env, "load_seed_content")
    # Back to the default journal: each copy starts as `make run`'s file would,
    # and its own settings decide the journal mode.
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    for leftover in glob(f"{path}-*"):
        os.remove(leftover)
    return path


@pytest.fixture
def sqlite_copy(seeded_sqlite, tmp_path):
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(seeded_sqlite, path)
    return path


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The collected static files production pages need (whitenoise's manifest),
    in a directory of the session's own: pass it as ``STATIC_ROOT``."""
    path = tmp_path_factory.mktemp("static")
    manage(environment(STATIC_ROOT=str(path)), "collectstatic", "--noinput")
    return str(path)


# A PostgreSQL cluster of the tests' own, which they may stop and restart.


def postgres_bin():
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).resolve().parent))
    for directory in candidates:
        if directory and (Path(directory) / "initdb").exists():
            return Path(directory)
    return None


class PrivatePostgres:
    """initdb + pg_ctl in a temporary directory, on a free port, trust auth.

    PostgreSQL refuses to run as root: as root the cluster belongs to the
    ``postgres`` user and its commands run through ``runuser``.
    """

    def __init__(self, bindir):
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="skr-live-pg-"))
        self.data = self.dir / "data"
        self.as_user = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *args, timeout=60):
        return subprocess.run(
            [*self.as_user, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def pg_ctl(self, action, *extra):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            # A throwaway cluster: durability is not what these tests are about.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        return self.run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "server.log"),
            "-o",
            options,
            "-w",
            *extra,
            action,
        )

    def url_for(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name, template="postgres"):
        """A new database, by default a copy of the migrated and seeded one."""
        self.run(
            str(self.bindir / "createdb"),
            *("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"),
            *("-T", template, name),
        )
        return self.url_for(name)

    def init(self):
        self.run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()

    def start(self):
        self.pg_ctl("start")

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")

    def restart(self):
        self.pg_ctl("restart", "-m", "fast")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()  # unless already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def private_postgres():
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run as")
    cluster = PrivatePostgres(bindir)
    try:
        cluster.init()
        env = environment(DATABASE_URL=cluster.url)
        manage(env, "migrate", "--noinput")
        manage(env, "load_seed_content")
        yield cluster
    finally:
        cluster.destroy()


# The task worker as deployed: ``manage.py task_worker``.


@pytest.fixture
def start_worker(tmp_path):
    """Start ``manage.py task_worker`` with the given environment, polling often;
    the Process, once it has said it started."""
    started = []

    def start(env, name="worker", *options):
        process = Process(
            [sys.executable, "manage.py", "task_worker", "--interval", "0.2"]
            + ["--no-startup-delay", "--no-reload", *options],
            env,
            tmp_path / f"{name}.log",
        )
        started.append(process)
        wait_for(
            lambda: "Starting worker" in process.output() or not process.alive,
            30,
            message=f"{name} to start",
        )
        assert process.alive, process.output()
        return process

    yield start
    for process in started:
        process.stop()


# A Redis of the tests' own, which they may kill and start again on its port.


class PrivateRedis:
    def __init__(self, binary, log_dir):
        self.binary = binary
        self.port = free_port()
        self.log_dir = log_dir
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = Process(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            env=dict(os.environ),
            log_path=self.log_dir / "redis.log",
            cwd=self.log_dir,
        )

        def answers():
            try:
                with socket.create_connection(("127.0.0.1", self.port), 1) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for(answers, 10, message="redis-server")

    def kill(self):
        self.process.popen.kill()
        self.process.popen.wait(timeout=10)
        self.process.stop()


@pytest.fixture
def private_redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(binary, tmp_path)
    server.start()
    yield server
    if server.process.alive:
        server.process.stop()


# An SMTP server that keeps what it receives.


class SmtpSink:
    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.url = f"smtp://127.0.0.1:{self.port}"
        # Seconds before each answer: a slow relay, so that a queue builds up.
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.messages.append(envelope.content.decode("utf8", errors="replace"))
        return "250 OK"

    def received(self, text):
        with self.lock:
            return [message for message in self.messages if text in message]


@pytest.fixture
def smtp_sink():
    pytest.importorskip("aiosmtpd")
    sink = SmtpSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


# The web server as deployed: gunicorn with the project's gunicorn.conf.py.


@pytest.fixture
def start_gunicorn(tmp_path):
    """Start ``gunicorn -c gunicorn.conf.py cms.wsgi`` (plus ``args``) on a free
    port with production settings and the given environment; the port."""
    started = []

    def start(*args, **env):
        port = free_port()
        server = Process(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *args]
            + ["cms.wsgi"],
            environment(BIND=f"127.0.0.1:{port}", **env),
            tmp_path / f"gunicorn-{port}.log",
        )
        started.append(server)
        wait_for_http(port, server)
        return port, server

    yield start
    for server in started:
        server.stop()
