"""What happened, as the JSON a webhook receives, queued once the change commits.

Each content change (``serving.content_changes``: a publish, unpublish, move or
new slug, delete of a page; the save of a snippet, or for a snippet with
drafts, an intake, the publish or unpublish of a version) becomes one event with
its own id; every active
webhook that listens to it gets a delivery row in the same transaction as the
change (so a rolled-back publish sends nothing) and a background task once it
commits.

An event names every URL the change affects (``urls``): the set the CDN purge
is given for it (``serving.content_changes``), so a front-end or a cache of its own
refreshes exactly what the site's CDN does. A snippet that belongs to a page
(an intake: a foreign key to its programme page) names that page too.
"""

import json
import logging
import uuid
from urllib.parse import urlsplit

from django.db import DatabaseError, transaction
from django.utils import timezone

from wagtail.models import Page, Site

from serving.content_changes import (
    DELETED,
    MOVED,
    PUBLISHED,
    UNPUBLISHED,
    content_changed,
)

from .models import Webhook, WebhookDelivery, WebhookEvent

logger = logging.getLogger(__name__)


def public_path(page: Page) -> str | None:
    """The page's path on its site (``/toppolitikerprogrammen/``), or None."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    return urlsplit(parts[2]).path or "/"


def path_of_url_path(url_path: str) -> str | None:
    """A page's public path from Wagtail's tree path (``/home/kontakt/``)."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path.removeprefix(root.root_path)
    return None


def page_object(page: Page, url_path: str | None) -> dict:
    return {
        "type": page.specific_class._meta.label_lower if page.specific_class else "",
        "id": page.pk,
        "url_path": url_path,
    }


def snippet_object(instance) -> dict:
    obj = {"type": instance._meta.label_lower, "id": instance.pk, "url_path": None}
    page = owning_page(instance)
    if page is not None:
        obj["page"] = {
            "type": page.specific_class._meta.label_lower,
            "id": page.pk,
            "title": page.title,
            "url": page.get_full_url(),
        }
    return obj


def owning_page(instance) -> Page | None:
    """The page a snippet belongs to: its first foreign key to a page."""
    for field in instance._meta.concrete_fields:
        if field.many_to_one and issubclass(field.related_model, Page):
            return getattr(instance, field.name)
    return None


def emit(event: str, obj, urls, **extra) -> list[WebhookDelivery]:
    """Record the event for every webhook listening to it; send after commit.

    ``obj`` and ``urls`` are callables, so nothing is worked out (every live
    page's URLs, for a snippet) when no webhook listens.
    """
    webhooks = [w for w in Webhook.objects.filter(active=True) if w.listens_to(event)]
    if not webhooks:
        return []
    event_id = uuid.uuid4()
    body = event_body(event_id, event, obj(), {**extra, "urls": sorted(urls())})
    deliveries = [
        WebhookDelivery.objects.create(
            webhook=webhook, event_id=event_id, event=event, body=body
        )
        for webhook in webhooks
    ]
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: queue(ids), robust=True)
    return deliveries


def event_body(event_id, event, obj, extra) -> str:
    payload = {
        "id": f"msg_{event_id.hex}",
        "event": event,
        "time": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z"),
        "object": {**obj, **extra},
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def queue(delivery_ids):
    from .tasks import deliver_webhook

    for pk in delivery_ids:
        try:
            deliver_webhook.enqueue(pk)
        except DatabaseError:
            # The delivery stays "pending" in the log, visibly unsent.
            logger.exception("Could not queue webhook delivery %s", pk)


def on_content_changed(sender, change, **kwargs):
    """Each content change as the webhook event it is (``serving.content_changes``
    has decided already that readers can see it)."""
    instance = change.instance
    if change.is_page:
        if change.action == MOVED:
            emit(
                WebhookEvent.PAGE_MOVED,
                lambda: page_object(instance, public_path(instance)),
                lambda: change.urls,
                previous_url_path=path_of_url_path(change.url_path_before),
            )
        else:
            emit(
                PAGE_EVENTS[change.action],
                lambda: page_object(instance, public_path(instance)),
                lambda: change.urls,
            )
    elif change.is_snippet and change.action != DELETED:
        emit(
            WebhookEvent.SNIPPET_SAVED,
            lambda: snippet_object(instance),
            lambda: change.urls,
        )


PAGE_EVENTS = {
    PUBLISHED: WebhookEvent.PAGE_PUBLISHED,
    UNPUBLISHED: WebhookEvent.PAGE_UNPUBLISHED,
    DELETED: WebhookEvent.PAGE_DELETED,
}


def connect_signals():
    content_changed.connect(on_content_changed, dispatch_uid="webhooks_changed")
