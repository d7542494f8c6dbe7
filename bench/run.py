"""Throughput and latency of the public pages and the read API under gunicorn.

Starts the production command (``stack.py``: gunicorn.conf.py, a free port or
$BENCH_PORT) on a throwaway SQLite database (or $DATABASE_URL) with the seed
content and the static files in a temporary STATIC_ROOT, then sends a bounded
number of requests from a few client threads to 127.0.0.1 only and prints a
table. Answers other than 200 are counted by status; then the logs stay in the
temporary directory it prints. Run: make bench

Settings (environment): BENCH_REQUESTS (400 per URL), BENCH_CLIENTS (8),
BENCH_WORKERS (2), BENCH_PORT (a free one).
"""

import collections
import http.client
import os
import runpy
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from stack import (
    LOOPBACK,
    ROOT,
    free_port,
    prepare_site,
    production_environment,
    start_gunicorn,
    stop_process,
)

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
URLS = [
    "/",
    "/toppolitikerprogrammen/",
    "/toppolitikerprogrammen/toppolitikerprogrammet/",
    "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/",
    "/toppolitikerprogrammen/intresseanmalan/",
    "/api/v2/pages/?type=programs.ProgramPage&fields=*",
]


def environment(base):
    env = production_environment("bench", base / "static")
    # Shared cache as in production: page cache, replay protection, rate limits.
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    env.setdefault("DATABASE_URL", f"sqlite:///{base}/bench.sqlite3")
    return env


def hammer(port, url, count):
    """``count`` GETs of ``url`` from CLIENTS threads, each on its own keep-alive
    connection. Returns the timings of the 200s, the other answers (status, or
    the exception's name when there was none) and the wall time."""
    timings, errors, lock = [], [], threading.Lock()
    per_client = max(1, count // CLIENTS)

    def client():
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
        for _ in range(per_client):
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Host": LOOPBACK})
                response = conn.getresponse()
                response.read()
                outcome = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()  # the next request opens a new connection
                outcome = type(error).__name__
            elapsed = time.perf_counter() - started
            with lock:
                if outcome == 200:
                    timings.append(elapsed)
                else:
                    errors.append(outcome)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return timings, errors, wall


def measure(port):
    """Print the table; return the URLs that had answers other than 200."""
    failed = {}
    print(f"{'URL':<72} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    for url in URLS:
        hammer(port, url, CLIENTS)  # warm up caches and connections
        timings, errors, wall = hammer(port, url, REQUESTS)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1] if timings else 0
        print(
            f"{url:<72} {len(timings) / wall:>7.0f} "
            f"{statistics.median(timings) * 1000 if timings else 0:>7.1f} "
            f"{p95 * 1000:>7.1f} {len(errors):>6}"
        )
        if errors:
            failed[url] = collections.Counter(errors)
    for url, outcomes in failed.items():
        print(f"errors on {url}: {dict(outcomes)}")
    return failed


def main():
    base = Path(tempfile.mkdtemp(prefix="skr-bench-"))
    port = int(os.environ.get("BENCH_PORT") or free_port())
    env = environment(base)
    keep = True  # the logs stay unless the run was clean
    try:
        prepare_site(env, base / "setup.log")
        # The production command (gunicorn.conf.py: threaded workers, no control
        # socket), with this benchmark's port and number of workers.
        server = start_gunicorn(
            env,
            port,
            base / "gunicorn.log",
            "--workers",
            WORKERS,
            "--log-level",
            "warning",
        )
        try:
            threads = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["threads"]
            print(
                f"gunicorn {WORKERS} workers x {threads} threads (gunicorn.conf.py), "
                f"{CLIENTS} client threads, {REQUESTS} requests per URL"
            )
            keep = bool(measure(port))
        finally:
            stop_process(server)
    finally:
        if keep:
            print(f"logs kept in {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
