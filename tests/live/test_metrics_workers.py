"""/metrics under gunicorn adds up every worker process (PROMETHEUS_MULTIPROC_DIR).

Without the shared directory each scrape would see the counts of whichever
worker answered it; with it, requests served by either of two workers show in
one scrape, and so does the scrape itself, whichever worker takes it.
"""

import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.fault

TOKEN = "live-metrics-token-" + "x" * 20


def get(port, path, headers=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": "127.0.0.1", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def robots_count(port):
    text = get(port, "/metrics", {"Authorization": f"Bearer {TOKEN}"}).decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (
                sample.name == "skr_http_requests_total"
                and sample.labels.get("route") == "robots_txt"
            ):
                return sample.value
    return 0.0


def test_one_scrape_counts_the_requests_of_every_worker(
    start_gunicorn, sqlite_copy, tmp_path
):
    directory = tmp_path / "metrics"
    directory.mkdir()
    port, server = start_gunicorn(
        DATABASE_URL=f"sqlite:///{sqlite_copy}",
        PAGE_CACHE_SECONDS="0",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
        METRICS_ENABLED="1",
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(directory),
    )
    before = robots_count(port)

    for _ in range(40):
        get(port, "/robots.txt")

    assert robots_count(port) == before + 40
    # Both workers wrote their counts to the directory.
    assert len(list(directory.glob("counter_*.db"))) == 2, server.output()
