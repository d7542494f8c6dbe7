"""Throughput and latency of the public pages and the read API under gunicorn.

Starts gunicorn with production settings on a throwaway SQLite database (or
$DATABASE_URL), loads the seed content, then sends a bounded number of requests
from a few client threads to 127.0.0.1 only and prints a table. Run: make bench
"""

import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
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


def environment(db_dir):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ALTCHA_HMAC_SECRET="bench-only-altcha-secret",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    # Shared cache as in production: page cache, replay protection, rate limits.
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    env.setdefault("DATABASE_URL", f"sqlite:///{db_dir}/bench.sqlite3")
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_for_server(deadline=30):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def hammer(url, count):
    timings, errors, lock = [], [], threading.Lock()
    per_client = max(1, count // CLIENTS)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        for _ in range(per_client):
            started = time.perf_counter()
            conn.request("GET", url, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                (timings if response.status == 200 else errors).append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return timings, errors, wall


def main():
    db_dir = tempfile.mkdtemp(prefix="skr-bench-")
    env = environment(db_dir)
    manage(env, "migrate", "--noinput")
    manage(env, "load_seed_content")
    manage(env, "collectstatic", "--noinput")
    # The production command (gunicorn.conf.py: threaded workers, no control
    # socket), with this benchmark's port and number of workers.
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_server()
        print(
            f"gunicorn {WORKERS} workers (gunicorn.conf.py), {CLIENTS} client "
            f"threads, {REQUESTS} requests per URL"
        )
        print(f"{'URL':<72} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
        for url in URLS:
            hammer(url, CLIENTS)  # warm up caches and connections
            timings, errors, wall = hammer(url, REQUESTS)
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1] if timings else 0
            print(
                f"{url:<72} {len(timings) / wall:>7.0f} "
                f"{statistics.median(timings) * 1000 if timings else 0:>7.1f} "
                f"{p95 * 1000:>7.1f} {len(errors):>6}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(db_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
