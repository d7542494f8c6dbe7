"""Sending webhook deliveries in the background, with bounded retries.

Each attempt claims its delivery row with a conditional update, so two workers
never send the same attempt, and holds no lock while the receiver answers (a slow
receiver must not block other writes, on SQLite least of all). A 2xx answer
delivers; anything else, a timeout or a refused address is retried after a
growing pause, up to ``MAX_ATTEMPTS`` in all.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_tasks import task

from serving import metrics

from .addresses import check_url
from .models import DeliveryStatus, WebhookDelivery
from .sending import post
from .signing import headers

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Seconds before attempt 2, 3, 4, 5.
BACKOFF = (30, 5 * 60, 30 * 60, 2 * 3600)
ERROR_CHARS = 1000
INACTIVE = _("Webbhooken har stängts av: skickades inte.")


@task()
def deliver_webhook(delivery_id: int) -> str | None:
    """Make one attempt at a delivery; queue the next one if it failed."""
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    if not delivery.webhook.active:
        # Switched off since the event: retries stop with it.
        return record(delivery, None, str(INACTIVE), retry=False)
    status_code, error = attempt(delivery)
    return record(delivery, status_code, error)


def requeue_overdue(minutes: int = 15) -> int:
    """Queue the deliveries that should have been tried by now: never queued (the
    queue was down), a retry no worker picked up, or an attempt whose worker died
    while sending (the receiver may then get that message twice, under the same
    webhook-id). Returns how many were queued."""
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, last_attempt_at__lt=cutoff
    ).update(status=DeliveryStatus.RETRYING, next_attempt_at=None)
    ids = list(
        WebhookDelivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, created_at__lt=cutoff)
            | Q(status=DeliveryStatus.RETRYING, next_attempt_at__isnull=True)
            | Q(status=DeliveryStatus.RETRYING, next_attempt_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        deliver_webhook.enqueue(pk)
    return len(ids)


def claim(delivery_id):
    """The delivery, now "sending" with one more attempt; None if not due."""
    now = timezone.now()
    # A task queued twice (by the worker's retry and by cron) runs once; one
    # that comes early for a retry planned later does nothing.
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
    ).update(
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        next_attempt_at=None,
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)


def attempt(delivery):
    """(response status or None, error text); the URL is checked again first."""
    body = delivery.body.encode()
    timestamp = int(timezone.now().timestamp())
    try:
        target = check_url(delivery.webhook.url)
        response = post(
            target,
            body,
            headers(delivery.webhook.secret, delivery.message_id, timestamp, body),
        )
    except ValidationError as error:
        return None, " ".join(error.messages)
    except OSError as error:
        return None, f"{type(error).__name__}: {error}"
    if 200 <= response.status < 300:
        return response.status, ""
    return response.status, f"HTTP {response.status}: {response.text}"


def record(delivery, status_code, error, retry=True):
    now = timezone.now()
    updates = {"response_code": status_code, "last_error": error[:ERROR_CHARS]}
    if not error:
        updates.update(status=DeliveryStatus.DELIVERED, delivered_at=now)
    elif retry and delivery.attempts < MAX_ATTEMPTS:
        delay = BACKOFF[delivery.attempts - 1]
        updates.update(
            status=DeliveryStatus.RETRYING,
            next_attempt_at=now + datetime.timedelta(seconds=delay),
        )
    else:
        updates["status"] = DeliveryStatus.FAILED
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**updates)
    if error:
        metrics.webhook_failures.labels(updates["status"]).inc()
    if updates["status"] == DeliveryStatus.RETRYING:
        retry_later(delivery.pk, updates["next_attempt_at"])
    else:
        log_outcome(delivery, updates["status"], error)
    return updates["status"]


def retry_later(delivery_id, run_after):
    backend = deliver_webhook.get_backend()
    if not backend.supports_defer:
        # The immediate backend (dev, tests) cannot wait: the cron command
        # retry_webhook_deliveries sends it once it is due.
        return
    deliver_webhook.using(run_after=run_after).enqueue(delivery_id)


def log_outcome(delivery, status, error):
    if status == DeliveryStatus.FAILED:
        logger.warning(
            "Webhook %s gave up on %s after %s attempts: %s",
            delivery.webhook,
            delivery.message_id,
            delivery.attempts,
            error,
        )
