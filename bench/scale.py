"""The inbox, the exports and the purge at 1,000 and at 100,000 registrations.

Creates a PostgreSQL database of its own ($SCALE_DATABASE_URL, by default
``bench_scale`` on the local server; dropped and created afresh), with the
production settings, the schema, the seed content and the static files (into a
temporary STATIC_ROOT), then runs ``scale_measure.py`` in that environment and
writes the table to ``bench/scale-results.md``. Prints the machine, the date and
the load before and after. Run: make bench-scale

Settings (environment): SCALE_DATABASE_URL, SCALE_REUSE (1: keep the database
and its rows from the last run, migrating it), SCALE_SIZES ("1000,100000"),
SCALE_REPEAT (5 runs per page, median), SCALE_TRACEMALLOC (1; 0 skips the
traced runs, which take longest).
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from stack import ROOT, prepare_site, production_environment

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_scale"
RESULTS = ROOT / "bench" / "scale-results.md"


def recreate_database(url):
    """Drop and create the database ``url`` names, through the server's
    ``postgres`` database (psycopg, which the project already needs)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine():
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{platform.node()}: {os.cpu_count()} × {cpu_model()}, "
        f"{int(memory) // 1024} MiB, Python {platform.python_version()}"
    )


def load():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def run_measurements(env, log):
    """The measuring child's JSON lines, echoed as they come."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "scale_measure.py")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    results = []
    for line in proc.stdout:
        record = json.loads(line)
        print(line.rstrip(), flush=True)
        results.append(record)
    if proc.wait():
        raise SystemExit(f"scale_measure.py failed; see {log.name}")
    return results


def megabytes(value):
    return "–" if value is None else f"{value:.1f}"


def table(results, sizes):
    """Rows by measurement, columns by size: seconds, queries, memory."""
    by_name = {}
    for record in results:
        if "name" in record:
            size, name = record["name"].split("|", 1)
            by_name.setdefault(name, {})[int(size)] = record
    head = "| measurement | " + " | ".join(
        f"{size:,} rows: ms | SQL ms | queries | traced peak MiB | RSS growth MiB"
        for size in sizes
    )
    lines = [
        head + " |",
        "| --- |" + " ---: | ---: | ---: | ---: | ---: |" * len(sizes),
    ]
    for name, per_size in by_name.items():
        cells = []
        for size in sizes:
            record = per_size.get(size)
            if record is None:
                cells.append("– | – | – | – | –")
                continue
            cells.append(
                f"{record['seconds'] * 1000:,.0f} | "
                f"{record.get('sql_seconds', 0) * 1000:,.0f} | {record['queries']} | "
                f"{megabytes(record['traced_peak_mib'])} | "
                f"{megabytes(record['rss_growth_mib'])}"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def outcomes(results):
    return "\n".join(
        f"- {record['name'].replace('|', ' rows, ')}: {record['outcome']}"
        for record in results
        if "name" in record and isinstance(record.get("outcome"), str | dict)
    )


def write_results(header, results, sizes):
    generated = [record for record in results if "generated" in record]
    made = "; ".join(
        f"{record['generated']:,} generated in {record['seconds']:.1f} s"
        for record in generated
    )
    RESULTS.write_text(
        "# make bench-scale: latest results\n\n"
        + "\n".join(f"- {line}" for line in header)
        + f"\n- data: {made}\n\n"
        + table(results, sizes)
        + "\n\nWhat each measurement answered (status and bytes, or output):\n\n"
        + outcomes(results)
        + "\n"
    )


def main():
    url = os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL)
    sizes = os.environ.get("SCALE_SIZES", "1000,100000")
    base = Path(tempfile.mkdtemp(prefix="skr-bench-scale-"))
    header = [
        f"machine: {machine()}",
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"before: {load()}",
    ]
    print("\n".join(header), flush=True)
    env = production_environment("bench-scale", base / "static")
    env.update(DATABASE_URL=url, SCALE_SIZES=sizes, PYTHONPATH=str(ROOT))
    env.setdefault("REDIS_URL", "")
    # The inbox's queries are measured, on one machine: no Redis unless given.
    env.setdefault("SINGLE_MACHINE", "1")
    if os.environ.get("SCALE_REUSE") != "1":
        recreate_database(url)
    prepare_site(env, base / "setup.log")
    with open(base / "measure.log", "w") as log:
        results = run_measurements(env, log)
    header.append(f"after: {load()}")
    print(header[-1])
    write_results(header, results, [int(size) for size in sizes.split(",")])
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
