"""The site's Prometheus metrics, counted wherever the thing happens.

Every app counts here (the page cache, e-mail delivery, webhooks, the login
lockout), so this module imports none of them. Counting costs a lock and an
addition and happens whether or not ``METRICS_ENABLED`` lets /metrics show it.
Under gunicorn, with ``PROMETHEUS_MULTIPROC_DIR`` set before the workers
start, each process writes its counts to a file there and a scrape adds them
up (``home.operations``); without it each process counts on its own.

Labels are few and bounded: a route is the URL pattern's name, never a path.
"""

import os

from prometheus_client import Counter, Histogram

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

http_requests = Counter(
    "skr_http_requests",
    "Requests answered, by route name, method and status.",
    ["route", "method", "status"],
)
http_latency = Histogram(
    "skr_http_request_duration_seconds",
    "Time from the first middleware to the response, by route name.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
page_cache = Counter(
    "skr_page_cache_requests",
    "Anonymous reads the page cache could answer: hit (served from it) or miss.",
    ["result"],
)
email_failures = Counter(
    "skr_email_delivery_failures",
    "E-mail sends that failed (each attempt), by kind: notification or receipt.",
    ["kind"],
)
webhook_failures = Counter(
    "skr_webhook_delivery_failures",
    "Webhook attempts that failed: retrying (tried again later) or failed (gave up).",
    ["outcome"],
)
login_lockouts = Counter(
    "skr_login_lockouts",
    "Admin logins locked out after too many failures (django-axes).",
)


def count_request(route: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    http_requests.labels(route, method, str(status)).inc()
    http_latency.labels(route).observe(seconds)


def multiprocess_dir() -> str:
    """Where gunicorn's workers (and the task worker) write their counts."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
