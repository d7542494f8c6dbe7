"""What operations see of every request: its id, one log line, its metrics;
and the three addresses only machines ask: /healthz, /readyz and /metrics.

``RequestLogMiddleware`` is first in ``MIDDLEWARE``. It takes the request id
from ``X-Request-ID`` when a trusted proxy (``TRUSTED_PROXIES``) sent a
well-formed one and makes one otherwise, logs under it, sends it back in the
response's ``X-Request-ID`` and writes one line per request (logger
``skr.request``): method, path without the query string (a query may hold an
e-mail address), route name, status and duration. Nothing about the person:
no address, no user, no user agent.

``OperationsMiddleware`` comes next and answers the three addresses itself,
before the host check, the HTTPS redirect, the page cache, sessions and the
login lockout: a load balancer probes an instance by its own address and over
plain HTTP, and none of those has anything to say to it. Their lines are logged
at debug level, since a balancer asks every few seconds.
"""

import hmac
import logging
from time import perf_counter

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from serving import metrics
from serving.log_format import acceptable_request_id, new_request_id, request_id_as
from serving.security import is_trusted_proxy

from . import health

logger = logging.getLogger("skr.request")

PROBES = {"/healthz": health.healthz, "/readyz": health.readyz}
METRICS_PATH = "/metrics"
# Paths no one but a machine asks for: answered here, never cached.
OPERATIONS_PATHS = (*PROBES, METRICS_PATH)


def request_id_for(request) -> str:
    if is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
        given = acceptable_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        if given:
            return given
    return new_request_id()


def route_name(request) -> str:
    """The URL pattern's name (``wagtail_serve`` for every page; ``page_cache``
    for whatever the page cache answered), never a path: a metric label with
    one value per URL would grow without end."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        if hasattr(request, "route_name"):
            return request.route_name  # set by the page cache on a hit
        if request.path_info in OPERATIONS_PATHS:
            return request.path_info.strip("/")
        try:
            # Answered before routing (a 304, a refused upload, a null byte).
            match = resolve(request.path_info)
        except Resolver404:
            return "not_found"
    return match.view_name or match.route or "unnamed"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = perf_counter()
        request.request_id = request_id_for(request)
        with request_id_as(request.request_id):
            response = self.get_response(request)
            seconds = perf_counter() - started
            response["X-Request-ID"] = request.request_id
            route = route_name(request)
            metrics.count_request(route, request.method, response.status_code, seconds)
            logger.log(
                logging.DEBUG if request.path_info in PROBES else logging.INFO,
                "%s %s %s",
                request.method,
                request.path_info,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path_info,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
        return response


class OperationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path in PROBES:
            return PROBES[path](request)
        if path == METRICS_PATH:
            return metrics_view(request)
        return self.get_response(request)


class TaskQueueCollector:
    """Read from the database at each scrape, so every instance reports the
    one shared queue: how many tasks are due and how long the oldest waited."""

    def collect(self):
        now = timezone.now()
        never = get_date_max()
        try:
            found = DBTaskResult.objects.ready().aggregate(
                due=Count("pk"),
                queued=Min("enqueued_at", filter=Q(run_after=never)),
                deferred=Min("run_after", filter=Q(run_after__lt=never)),
            )
        except DatabaseError:
            logger.warning("Task queue not measured: the database did not answer")
            return
        waiting = [when for when in (found["queued"], found["deferred"]) if when]
        oldest = min(waiting, default=now)
        yield GaugeMetricFamily(
            "skr_task_queue_depth", "Tasks due and not yet taken.", value=found["due"]
        )
        yield GaugeMetricFamily(
            "skr_task_queue_oldest_age_seconds",
            "How long the oldest due task has waited (0 when none waits).",
            value=max(0.0, (now - oldest).total_seconds()),
        )


def process_registry():
    """The counts of this process, or of every process under gunicorn."""
    if not metrics.multiprocess_dir():
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def authorized(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(token) and hmac.compare_digest(
        given.encode(), f"Bearer {token}".encode()
    )


def metrics_view(request):
    if not settings.METRICS_ENABLED:
        response = HttpResponse("Not found", status=404, content_type="text/plain")
    elif not authorized(request):
        response = HttpResponse("Unauthorized", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    else:
        queue = CollectorRegistry()
        queue.register(TaskQueueCollector())
        body = generate_latest(process_registry()) + generate_latest(queue)
        response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
