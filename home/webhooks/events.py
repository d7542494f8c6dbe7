"""What happened, as the JSON a webhook receives, queued once the change commits.

A publish, unpublish, move (or new slug of a live page) or delete of a page and
the save of a snippet (for a snippet with drafts, an intake: the publish or
unpublish of a version) each become one event with its own id; every active
webhook that listens to it gets a delivery row in the same transaction as the
change (so a rolled-back publish sends nothing) and a background task once it
commits.

An event names every URL the change affects (``urls``): the set the CDN purge
computes for it (``home.frontend_cache``), so a front-end or a cache of its own
refreshes exactly what the site's CDN does. A snippet that belongs to a page
(an intake: a foreign key to its programme page) names that page too.
"""

import json
import logging
import uuid
from urllib.parse import urlsplit

from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from wagtail.models import DraftStateMixin, Page, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)
from wagtail.snippets.models import get_snippet_models

from .. import frontend_cache
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


def on_published(sender, instance, **kwargs):
    if not instance.live:
        # Wagtail signals a publish that only schedules a page not yet live;
        # it is announced when publish_scheduled makes it live.
        return
    announce_page(WebhookEvent.PAGE_PUBLISHED, instance)


def on_unpublished(sender, instance, **kwargs):
    announce_page(WebhookEvent.PAGE_UNPUBLISHED, instance)


def on_deleted(sender, instance, **kwargs):
    announce_page(WebhookEvent.PAGE_DELETED, instance)


def announce_page(event, page):
    emit(
        event,
        lambda: page_object(page, public_path(page)),
        lambda: frontend_cache.published_urls(page),
    )


def on_moved(
    sender, instance, parent_page_before, url_path_before, url_path_after, **kwargs
):
    emit(
        WebhookEvent.PAGE_MOVED,
        lambda: page_object(instance, path_of_url_path(url_path_after)),
        lambda: frontend_cache.moved_urls(
            instance, parent_page_before, url_path_before
        ),
        previous_url_path=path_of_url_path(url_path_before),
    )


def on_slug_changed(sender, instance, instance_before, **kwargs):
    """A live page's new slug gives it (and its branch) a new URL: a move, for a
    front-end that routes by path."""
    if not instance_before.live:
        return
    emit(
        WebhookEvent.PAGE_MOVED,
        lambda: page_object(instance, public_path(instance)),
        lambda: frontend_cache.moved_urls(
            instance, instance.get_parent(), instance_before.url_path
        ),
        previous_url_path=path_of_url_path(instance_before.url_path),
    )


def on_saved(sender, instance, raw=False, **kwargs):
    if raw or sender not in get_snippet_models():
        return
    if issubclass(sender, DraftStateMixin):
        # Saving a draft changes nothing a front-end shows: wait for the publish.
        return
    announce_snippet(sender, instance)


def on_snippet_published(sender, instance, **kwargs):
    # As for pages: a publish that only schedules waits for its time.
    if instance.live:
        on_snippet_unpublished(sender, instance)


def on_snippet_unpublished(sender, instance, **kwargs):
    if sender in get_snippet_models():
        announce_snippet(sender, instance)


def announce_snippet(model, instance):
    emit(
        WebhookEvent.SNIPPET_SAVED,
        lambda: snippet_object(instance),
        lambda: frontend_cache.shown_content_urls(model),
    )


def connect_signals():
    page_published.connect(on_published, dispatch_uid="webhooks_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="webhooks_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="webhooks_moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="webhooks_slug_changed")
    post_delete.connect(on_deleted, sender=Page, dispatch_uid="webhooks_deleted")
    # Snippets are registered by wagtail_hooks, after this runs: ask at save time.
    post_save.connect(on_saved, dispatch_uid="webhooks_snippet_saved")
    published.connect(on_snippet_published, dispatch_uid="webhooks_snippet_published")
    unpublished.connect(
        on_snippet_unpublished, dispatch_uid="webhooks_snippet_unpublished"
    )
