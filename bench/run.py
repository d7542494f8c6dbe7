"""``make bench``: the production stack's serving cost, as ratios to a static file.

It starts two production servers (``stack.py``: gunicorn.conf.py, 2 workers)
on one throwaway PostgreSQL database with the seed content and a private key
prefix in Redis: one as configured (page cache on), one with
``PAGE_CACHE_SECONDS=0``, which keeps nothing between requests.

The programme page is measured twice. Rendered by the configured server with a
query string, which the page cache passes by: what a miss costs once the
entry has expired, with the site-wide fragments kept ({% wagtailcache %}), as
they are until content changes. And on the second server: what the first
render after a publish costs, with nothing kept.

Each round sends every row's requests in turn, with a burst of the hashed
static file before and after each row's, so every row is divided by static
figures from the same seconds: the machine is shared and absolute figures
swing, even within a round. Rounds repeat (BENCH_ROUNDS).
``bench/probe.py`` counts the SQL queries of each row in-process beforehand and
solves the verification payloads the submissions need.

Writes bench/results.md and prints it. Settings (environment): BENCH_ROUNDS
(5), BENCH_REQUESTS (400 per row and round), BENCH_SUBMISSIONS (64 per round),
BENCH_PROCESSES x BENCH_THREADS client connections (4 x 4), BENCH_WORKERS (2),
BENCH_PG_URL (an admin connection to create the database in, default
postgres://postgres@127.0.0.1:5432/postgres; without PostgreSQL it falls back
to SQLite and says so), REDIS_URL (redis://127.0.0.1:6379/15).
"""

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load import Load, Request
from stack import (
    ROOT,
    free_port,
    prepare_site,
    production_environment,
    start_gunicorn,
    stop_process,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "64"))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "bench" / "results.md"
BROWSER = {"Host": "127.0.0.1", "Accept-Encoding": "gzip, deflate, br"}
# The page cache passes a page's URL with a query string by (serving.page_cache).
RENDER = "?render"

# (key, what, goal as a ratio to static or None)
ROWS = [
    ("static", "hashed static file (whitenoise)", None),
    ("content", "content page from the page cache", 0.6),
    ("programme", "programme page rendered (page cache passed by)", 0.10),
    ("programme_cold", "programme page, nothing kept (`PAGE_CACHE_SECONDS=0`)", None),
    ("form", "interest form page", 0.5),
    ("api", "`/api/v2/` programme list, anonymous", 0.5),
    ("api304", "API revalidation (`If-None-Match` → 304)", 0.8),
    ("api_v3", "`/api/v3/` programme list, anonymous", 0.5),
    ("api_v3_304", "`/api/v3/` revalidation (`If-None-Match` → 304)", 0.8),
    ("submit", "valid submission (JSON API) → 201", None),
]


@contextlib.contextmanager
def bench_database(base):
    """A PostgreSQL database of its own, dropped afterwards; SQLite without one."""
    import psycopg

    name = f"skr_bench_{os.getpid()}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        print(f"no PostgreSQL at {PG_ADMIN} ({error}); using SQLite", file=sys.stderr)
        yield f"sqlite:///{base}/bench.sqlite3"
        return
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(base, database_url):
    env = production_environment("bench", base / "static")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    # Its own keys in the shared Redis: nobody else's cache is read or emptied.
    env["CACHE_KEY_PREFIX"] = f"bench-{os.getpid()}"
    env["DATABASE_URL"] = database_url
    env["FORM_RATE_LIMIT"] = "0"  # many submissions from one address, on purpose
    env["API_RATE_LIMIT"] = "0"
    return env


def probe(env, base):
    out = base / "probe.json"
    payloads = ROUNDS * SUBMISSIONS
    subprocess.run(
        [sys.executable, "bench/probe.py", str(out), str(payloads)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def requests(found, cached_port, uncached_port):
    urls = found["urls"]
    json_headers = {**BROWSER, "Content-Type": "application/json"}
    return {
        "static": Request(cached_port, "GET", urls["static"], BROWSER),
        "content": Request(cached_port, "GET", urls["content"], BROWSER),
        "programme": Request(cached_port, "GET", urls["programme"] + RENDER, BROWSER),
        "programme_cold": Request(uncached_port, "GET", urls["programme"], BROWSER),
        "form": Request(cached_port, "GET", urls["form"], BROWSER),
        "api": Request(cached_port, "GET", urls["api"], BROWSER),
        "api304": Request(
            cached_port,
            "GET",
            urls["api"],
            {**BROWSER, "If-None-Match": found["etag"]},
            expect=304,
        ),
        "api_v3": Request(cached_port, "GET", urls["api_v3"], BROWSER),
        "api_v3_304": Request(
            cached_port,
            "GET",
            urls["api_v3"],
            {**BROWSER, "If-None-Match": found["etag_v3"]},
            expect=304,
        ),
        "submit": Request(cached_port, "POST", urls["submit"], json_headers, 201),
    }


def rate(burst):
    return len(burst.timings) / burst.wall


def run_rounds(load, plan, bodies):
    """Every row once per round, each burst between two of the static file.

    Returns ({row: [Burst per round]}, {row: [static req/s around each burst]}):
    the machine is shared and its speed drifts within a round, so each burst
    is divided by the static file's rate measured just before and just after it.
    """
    for key, request in plan.items():
        if key != "submit":
            load.burst(request, load.connections)  # warm caches and connections
    bursts = {key: [] for key in plan}
    around = {key: [] for key in plan}
    static = plan["static"]
    for round_number in range(ROUNDS):
        before = load.burst(static, REQUESTS)
        bursts["static"].append(before)
        for key, request in plan.items():
            if key == "static":
                continue
            if key == "submit":
                share = bodies[
                    round_number * SUBMISSIONS : (round_number + 1) * SUBMISSIONS
                ]
                burst = load.burst(request, SUBMISSIONS, share)
            else:
                burst = load.burst(request, REQUESTS)
            after = load.burst(static, REQUESTS)
            bursts["static"].append(after)
            bursts[key].append(burst)
            around[key].append((rate(before) + rate(after)) / 2)
            before = after
    around["static"] = [rate(burst) for burst in bursts["static"]]
    return bursts, around


def percentile(values, fraction):
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0
    )


def summarise(bursts, around):
    """Per row: median req/s and ratio over rounds, pooled p50/p99, errors, bytes."""
    rows = {}
    for key, runs in bursts.items():
        rates = [rate(b) for b in runs]
        ratios = [r / s for r, s in zip(rates, around[key], strict=True)]
        timings = [t for b in runs for t in b.timings]
        sizes = [s for b in runs for s in b.body_bytes]
        rows[key] = {
            "rps": statistics.median(rates),
            "ratio": statistics.median(ratios),
            "ratios": ratios if key != "static" else [],
            "p50": percentile(timings, 0.50) * 1000,
            "p99": percentile(timings, 0.99) * 1000,
            "errors": sum(len(b.errors) for b in runs),
            "error_kinds": sorted({str(e) for b in runs for e in b.errors}),
            "bytes": statistics.median(sizes) if sizes else 0,
            "client_cpu": sum(b.client_cpu for b in runs) / sum(b.wall for b in runs),
        }
    return rows


def machine():
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def loadavg():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def report(rows, found, context):
    lines = [
        "# `make bench` results",
        "",
        f"- date: {context['date']}",
        f"- machine: {context['machine']}",
        f"- load average (1, 5, 15 min) at start: {context['load_start']}; "
        f"at end: {context['load_end']}",
        f"- database: {context['database']}; cache: Redis",
        f"- server: gunicorn.conf.py, {WORKERS} workers x {context['threads']} "
        "threads, two instances (page cache on / off)",
        f"- client: {PROCESSES} processes x {THREADS} keep-alive connections on the "
        f"same machine, {ROUNDS} interleaved rounds of {REQUESTS} requests per row "
        f"({SUBMISSIONS} per round for submissions); `Accept-Encoding: gzip, br`",
        "",
        "Ratio: each burst of a row sits between two bursts of the static file; "
        "its req/s is divided by their mean, and the median over the rounds is "
        "shown (each round's ratio in brackets). Queries: SQL "
        "queries of one request, counted in-process (`bench/probe.py`), caches "
        "warm. Bytes: the response body as sent. Client CPU: the load generator's "
        "CPU time per second of the row (1.0 = one core busy).",
        "",
        "| row | req/s | ratio to static | goal | p50 ms | p99 ms | queries | bytes "
        "| errors | client CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, what, goal in ROWS:
        row = rows[key]
        rounds = ", ".join(f"{r:.2f}" for r in row["ratios"])
        queries = found["queries"].get(key, 0 if key == "static" else "?")
        errors = str(row["errors"])
        if row["error_kinds"]:
            errors += f" ({', '.join(row['error_kinds'])})"
        target = f"≥ {goal:.2f}" if goal else ""
        lines.append(
            f"| {what} | {row['rps']:.0f} | {row['ratio']:.3f} [{rounds}] "
            f"| {target} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {queries} | {row['bytes']:.0f} | {errors} | {row['client_cpu']:.2f} |"
        )
    lines += ["", "URLs: " + ", ".join(f"{k} `{v}`" for k, v in found["urls"].items())]
    return "\n".join(lines) + "\n"


def main():
    base = Path(tempfile.mkdtemp(prefix="skr-bench-"))
    servers, keep = [], True
    context = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    context["machine"] = machine()
    context["load_start"] = loadavg()
    try:
        with bench_database(base) as database_url:
            context["database"] = database_url.split(":", 1)[0]
            env = environment(base, database_url)
            prepare_site(env, base / "setup.log")
            found = probe(env, base)
            cached, uncached = free_port(), free_port()
            options = ("--workers", WORKERS, "--log-level", "warning")
            servers.append(start_gunicorn(env, cached, base / "cached.log", *options))
            env_off = {**env, "PAGE_CACHE_SECONDS": "0"}
            servers.append(
                start_gunicorn(env_off, uncached, base / "uncached.log", *options)
            )
            context["threads"] = os.environ.get("GUNICORN_THREADS", "8")
            load = Load(PROCESSES, THREADS)
            try:
                bursts, around = run_rounds(
                    load, requests(found, cached, uncached), found["bodies"]
                )
            finally:
                load.close()
            for server in servers:
                stop_process(server)
            context["load_end"] = loadavg()
            rows = summarise(bursts, around)
            text = report(rows, found, context)
            RESULTS.write_text(text)
            print(text)
            keep = any(row["errors"] for row in rows.values())
    finally:
        for server in servers:
            stop_process(server)
        if keep:
            print(f"logs kept in {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
