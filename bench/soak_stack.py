"""The soak test's private production stack, on 127.0.0.1 only.

Everything here is started by the harness and stopped by it: a throwaway
PostgreSQL cluster, a Redis without persistence, an SMTP sink that counts what it
receives and the task worker under a restart-on-exit loop (gunicorn, the port,
the environment and the process handling are ``stack.py``'s, shared with the
benchmark). The machine's shared PostgreSQL and Redis are never touched.
"""

import contextlib
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller
from stack import LOOPBACK, ROOT, start_process, stop_process, wait_until

PG_BIN = Path(os.environ.get("SOAK_PG_BIN", "/usr/lib/postgresql/15/bin"))


def port_open(port):
    with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), 1):
        return True
    return False


# --- PostgreSQL ----------------------------------------------------------------


class PrivatePostgres:
    """A throwaway cluster in ``base/pg``, run by the ``postgres`` user when we are
    root (the server refuses to run as root), listening on 127.0.0.1:``port``."""

    def __init__(self, base, port):
        self.dir = base / "pg"
        self.data = self.dir / "data"
        self.socket_dir = self.dir / "socket"
        self.log = self.dir / "postgresql.log"
        self.port = port
        self.started = False

    @property
    def url(self):
        return f"postgres://postgres@{LOOPBACK}:{self.port}/soak"

    def _run(self, *args, timeout=60):
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(
            cmd,
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
        )

    def init(self):
        self.socket_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-locale", "--no-instructions",
        )  # fmt: skip
        self.start()
        with psycopg.connect(self.admin_url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE soak")

    def admin_url(self, dbname="soak"):
        return f"postgresql://postgres@{LOOPBACK}:{self.port}/{dbname}"

    def start(self):
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses={LOOPBACK} "
            # A throwaway cluster: durability across a machine crash is not tested.
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip
        self.started = True

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self.started = False

    def destroy(self):
        if self.started:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self.stop(mode="immediate")
        with contextlib.suppress(OSError):
            shutil.copy(self.log, self.dir.parent / "postgresql.log")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Redis -------------------------------------------------------------------------


class PrivateRedis:
    """redis-server on 127.0.0.1:``port`` with nothing written to disk."""

    def __init__(self, base, port):
        self.base = base
        self.port = port
        self.log = base / "redis.log"
        self.proc = None

    @property
    def url(self):
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self):
        self.proc = start_process(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", LOOPBACK,
                "--save", "", "--appendonly", "no", "--dir", str(self.base),
            ],
            self.log,
        )  # fmt: skip
        wait_until(lambda: port_open(self.port), 15, "redis-server")

    def kill(self):
        """SIGKILL, as a crashed or OOM-killed Redis would go."""
        stop_process(self.proc, sig=signal.SIGKILL)
        self.proc = None

    def destroy(self):
        stop_process(self.proc)
        self.proc = None


# --- SMTP sink -----------------------------------------------------------------


@dataclass
class Mail:
    at: float
    rcpt_tos: list
    to: str
    reply_to: str
    subject: str


@dataclass
class SmtpSink:
    """An SMTP server in a thread of the harness that keeps each message's headers.

    Stopping it closes the port, so a delivery fails as against a dead relay.
    """

    port: int
    mails: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    # aiosmtpd calls the handler's methods by these names.
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.SMTP)
        mail = Mail(
            at=time.monotonic(),
            rcpt_tos=list(envelope.rcpt_tos),
            to=str(message.get("To", "")),
            reply_to=str(message.get("Reply-To", "")),
            subject=str(message.get("Subject", "")),
        )
        with self.lock:
            self.mails.append(mail)
        return "250 Message accepted for delivery"

    def start(self):
        self.controller = Controller(self, hostname=LOOPBACK, port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def snapshot(self):
        with self.lock:
            return list(self.mails)


# --- the task worker ---------------------------------------------------------------


def worker_command():
    """``task_worker`` (the project's resilient worker) if it exists, else the
    django-tasks-db ``db_worker`` it wraps."""
    ours = list(ROOT.glob("*/management/commands/task_worker.py"))
    name = "task_worker" if ours else "db_worker"
    return [sys.executable, "manage.py", name]


class WorkerSupervisor(threading.Thread):
    """Keeps one task worker running: when it exits it is started again after a
    second, as systemd or a container runtime would. Every exit is recorded."""

    def __init__(self, env, log_path, clock):
        super().__init__(name="worker-supervisor", daemon=True)
        self.cmd = worker_command()
        self.env = env
        self.log = log_path
        self.clock = clock
        self.exits = []  # (seconds into the run, return code)
        self.proc = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def restarts(self):
        return len(self.exits)

    def run(self):
        while not self._stopping.is_set():
            with self._lock:
                if self._stopping.is_set():
                    return
                self.proc = start_process(self.cmd, self.log, env=self.env)
            code = self.proc.wait()
            if self._stopping.is_set():
                return
            self.exits.append((self.clock(), code))
            self._stopping.wait(1.0)

    def stop(self):
        with self._lock:
            self._stopping.set()
            stop_process(self.proc)
        self.join(timeout=15)
