"""Soak test: the production stack under mixed traffic while its services fail.

Starts a private stack on 127.0.0.1 (its own PostgreSQL cluster, Redis, an SMTP
sink, gunicorn on production settings, the task worker under a restart loop),
sends page reads, API reads and interest submissions (HTML form and JSON API,
each with a solved ALTCHA verification) for SOAK_SECONDS, and meanwhile stops
the SMTP sink, kills Redis and restarts PostgreSQL. Then it lets the e-mail
drain and checks that every acknowledged submission was stored exactly once and
mailed exactly once (notification and receipt). Run: make soak

Exit status: 0 passed, 1 the application failed a check, 2 the harness could
not run the test. Logs and the report stay in the directory it prints.

Settings (environment): SOAK_SECONDS (90, at least 30), SOAK_CLIENTS (8),
SOAK_SOLVERS (1 process solving challenges), SOAK_THINK_MS (25, pause between a
client's requests), SOAK_DRAIN_SECONDS (60, per wait for the e-mail to drain).
"""

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from soak_faults import REDIS_DOWN, FaultInjector, Timeline, schedule
from soak_reconcile import Ledger, drain, query
from soak_report import render, write_results
from soak_stack import PrivatePostgres, PrivateRedis, SmtpSink, WorkerSupervisor
from soak_traffic import Client, ReplayProbes, Requests, Site, Verifications
from stack import (
    ROOT,
    free_port,
    gunicorn_command,
    manage,
    prepare_site,
    production_environment,
    start_gunicorn,
    stop_process,
)

RECIPIENT = "programansvarig@example.se"
# Settings a developer's shell might carry that would change the stack under test.
INHERITED_SETTINGS = (
    "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT",
    "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "TRUSTED_PROXIES",
    "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "CORS_ALLOWED_ORIGINS",
    "CSRF_TRUSTED_ORIGINS", "PAGE_CACHE_SECONDS", "API_CACHE_MAX_AGE",
)  # fmt: skip
SET_RECIPIENTS = f"""
from forms.models import ContactFormPage, InterestFormPage
for model in (InterestFormPage, ContactFormPage):
    print(model.__name__, model.objects.update(to_address={RECIPIENT!r}))
"""


@dataclass
class Config:
    seconds: int
    clients: int
    solvers: int
    think: float
    drain: int

    @classmethod
    def from_env(cls):
        config = cls(
            seconds=int(os.environ.get("SOAK_SECONDS", "90")),
            clients=int(os.environ.get("SOAK_CLIENTS", "8")),
            solvers=int(os.environ.get("SOAK_SOLVERS", "1")),
            think=int(os.environ.get("SOAK_THINK_MS", "25")) / 1000,
            drain=int(os.environ.get("SOAK_DRAIN_SECONDS", "60")),
        )
        if config.seconds < 30:
            raise SystemExit("SOAK_SECONDS must be at least 30 (three faults)")
        return config


def say(message):
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


def environment(pg, redis, sink_port, web_port, static_root):
    inherited = {k: v for k, v in os.environ.items() if k not in INHERITED_SETTINGS}
    env = production_environment("soak", static_root, inherited)
    env.update(
        DATABASE_URL=pg.url,
        REDIS_URL=redis.url,
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        FORM_RATE_LIMIT="0",
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{web_port}",
    )
    return env


class Soak:
    """One run: owns every process it starts and tears them all down."""

    def __init__(self, config, base):
        self.config = config
        self.base = base
        self.cleanup = contextlib.ExitStack()
        self.abort = threading.Event()  # teardown: faults stop repairing
        self.stopping = threading.Event()  # traffic stops
        self.results = []
        self.results_lock = threading.Lock()
        self.timeline = None  # set when the traffic starts
        self.injector = None
        self.stopped_early = ""  # why the traffic stopped before its time

    def record(self, result):
        with self.results_lock:
            self.results.append(result)

    # --- the stack ---------------------------------------------------------

    def start_stack(self):
        self.web_port = free_port()
        self.pg = PrivatePostgres(self.base, free_port())
        self.cleanup.callback(self.pg.destroy)
        say(f"PostgreSQL on 127.0.0.1:{self.pg.port}")
        self.pg.init()
        self.redis = PrivateRedis(self.base, free_port())
        self.cleanup.callback(self.redis.destroy)
        self.redis.start()
        self.sink = SmtpSink(free_port())
        self.cleanup.callback(self.sink.stop)
        self.sink.start()
        say(f"Redis on :{self.redis.port}, SMTP sink on :{self.sink.port}")
        # Its own STATIC_ROOT: a test run may be reading ./staticfiles meanwhile.
        static_root = self.base / "static"
        self.cleanup.callback(shutil.rmtree, static_root, ignore_errors=True)
        self.env = environment(
            self.pg, self.redis, self.sink.port, self.web_port, static_root
        )
        self.prepare_database()
        self.start_web()
        self.worker = WorkerSupervisor(self.env, self.base / "worker.log", self.now)
        self.cleanup.callback(self.worker.stop)
        self.worker.start()
        say(f"worker: {' '.join(self.worker.cmd[1:])}")

    def prepare_database(self):
        log = self.base / "setup.log"
        say(f"migrate, load_seed_content, collectstatic, recipients (log: {log})")
        prepare_site(self.env, log)
        manage(self.env, log, "shell", "-c", SET_RECIPIENTS)
        recipients = query(
            self.pg.admin_url(),
            "SELECT to_address FROM forms_interestformpage"
            " UNION ALL SELECT to_address FROM forms_contactformpage",
        )
        if not recipients or any(row != (RECIPIENT,) for row in recipients):
            raise RuntimeError(f"the form recipients were not set: {recipients}")

    def start_web(self):
        cmd = gunicorn_command(self.web_port)
        say(f"gunicorn on :{self.web_port}: {' '.join(cmd[1:])}")
        self.web = start_gunicorn(self.env, self.web_port, self.base / "gunicorn.log")
        self.cleanup.callback(stop_process, self.web)

    # --- the run -----------------------------------------------------------

    def now(self):
        return self.timeline.now() if self.timeline else 0.0

    def run_traffic(self):
        site = Site.discover(self.web_port)
        self.timeline = Timeline()
        requests = Requests(self.web_port, self.timeline, self.record)
        self.verifications = Verifications(requests, self.config.solvers, self.stopping)
        self.cleanup.callback(self.verifications.close)
        self.verifications.start()
        mix = {"submit": 0.2, "api": 0.3, "think": self.config.think}
        spent = []  # (when, payload) of acknowledged API submissions
        clients = [
            Client(i, site, requests, self.verifications, self.stopping, mix, spent)
            for i in range(self.config.clients)
        ]
        self.faults = schedule(self.config.seconds, self.sink, self.redis, self.pg)
        redis_fault = next(f for f in self.faults if f.phase == REDIS_DOWN)
        self.replays = ReplayProbes(requests, site, spent, redis_fault)
        injector = self.injector = FaultInjector(self.faults, self.timeline, self.abort)
        for thread in [*clients, injector]:
            thread.start()
        say(f"traffic for {self.config.seconds} s from {len(clients)} clients")
        self.watch(injector)
        self.stopping.set()
        for thread in clients:
            thread.join(timeout=30)
        # Every fault is repaired before anything is counted.
        injector.join(timeout=120)
        self.verifications.close()
        self.end = self.timeline.now()
        say(f"traffic stopped at {self.end:.0f} s; {len(self.results)} requests")

    def watch(self, injector):
        """Wait out the run, probing replays; stop early if the stack cannot go on."""
        while self.timeline.now() < self.config.seconds:
            if injector.broken.is_set():
                self.stopped_early = "a fault could not be repaired"
            elif self.web.poll() is not None:
                self.stopped_early = f"gunicorn exited ({self.web.returncode})"
            if self.stopped_early:
                say(f"{self.stopped_early}; stopping the traffic")
                return
            self.replays.tick()
            time.sleep(0.5)

    def reconcile(self):
        def retry():
            manage(
                self.env,
                self.base / "setup.log",
                "retry_failed_deliveries",
                "--pending-after-minutes",
                "0",
            )

        say("waiting for the worker to send every message")
        self.drain_steps, _left = drain(
            self.pg.admin_url(), self.config.drain, retry, say
        )
        time.sleep(2)  # let a message in flight reach the sink
        self.worker.stop()
        return Ledger.build(self.results, self.pg.admin_url(), self.sink.snapshot())

    # --- the report --------------------------------------------------------

    def report(self, ledger):
        text, problems = render(self, ledger)
        (self.base / "report.txt").write_text(text)
        write_results(self.base / "requests.csv", self.results)
        print(text, flush=True)
        return problems

    def teardown(self):
        # A second Ctrl-C must not interrupt the cleanup half way.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        self.abort.set()
        self.stopping.set()
        # A repair under way (Redis or PostgreSQL starting) must finish before
        # the services are destroyed, or it would start one after the cleanup.
        if self.injector is not None:
            self.injector.join(timeout=90)
        self.cleanup.close()


def terminate(signum, frame):
    raise SystemExit(128 + signum)


def main():
    config = Config.from_env()
    base = Path(tempfile.mkdtemp(prefix="skr-soak-"))
    base.chmod(0o755)  # the postgres user must reach its directory inside
    say(f"logs and report: {base}")
    signal.signal(signal.SIGTERM, terminate)
    soak = Soak(config, base)
    try:
        soak.start_stack()
        soak.run_traffic()
        problems = soak.report(soak.reconcile())
        if any(fault.error for fault in soak.faults):
            return 2  # the harness could not repair what it broke
    except KeyboardInterrupt:
        say("interrupted; stopping everything")
        return 130
    except SystemExit:
        say("terminated; stopping everything")
        raise
    except Exception as error:  # noqa: BLE001 -- the harness failed, not the app
        traceback.print_exc()
        say(f"harness error: {type(error).__name__}: {error}")
        say(f"see the logs in {base}")
        return 2
    finally:
        soak.teardown()
        say(f"stopped everything; logs and report in {base}")
    return 1 if problems else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
