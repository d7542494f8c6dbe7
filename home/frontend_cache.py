"""CDN purge on publish, through ``wagtail.contrib.frontend_cache``.

Wagtail's own handlers purge a page's URLs (its ``get_cached_paths``) when it is
published or unpublished. A page also shows up elsewhere: its parent lists it
(the programme index its programmes, a programme its themes) and the read APIs
serve it in their listings and in its parent's detail. This adds those, and
handles a move and a live page's new slug, which Wagtail leaves alone. Deleting
a live page unpublishes it first (Wagtail's pre_delete handler), so a delete is
purged as an unpublish.

Saving something that pages show (a snippet in ``page_cache.SHOWN_ON_PAGES``:
practical facts, intakes, venues, contact persons, images) empties the site's
own page cache; here it purges every live page, the same rule for the CDN (for a
snippet with drafts, an intake, when a version is published or unpublished).

What each change affects is worked out by one function per kind of change
(``published_urls``, ``moved_urls``, ``shown_content_urls``), which the publish
webhooks call too, so an event names exactly what the CDN is told to purge.

Purges are queued once the change commits (a CDN that refetched before the
commit would cache the old version again). When no backend is configured
(``WAGTAILFRONTENDCACHE`` empty) nothing is queried and nothing is sent.
"""

import logging
from typing import TypeGuard
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import DraftStateMixin, Page, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from .page_cache import SHOWN_ON_PAGES

logger = logging.getLogger("wagtail.frontendcache")

# The read API URLs that show a page, by convention: the listings a front-end
# is documented to use, the page's detail and its parent's (which lists it).
# A CDN purges exact URLs; other query strings age out after API_CACHE_MAX_AGE.
API_LISTINGS = (
    "/api/v2/pages/",
    "/api/v2/pages/?type={type}",
    "/api/v2/pages/?type={type}&fields=*",
    "/api/v2/pages/?child_of={parent}",
    "/api/v3/pages/",
    "/api/v3/pages/?type={type}",
)
API_DETAILS = ("/api/v2/pages/{id}/", "/api/v3/pages/{id}/")


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def site_root(page: Page) -> str | None:
    """``https://host`` of the site the page belongs to, or None."""
    url = page.get_full_url()
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def has_url(page: Page | None) -> TypeGuard[Page]:
    return page is not None and page.depth > 1


def api_urls(page: Page, parent: Page | None) -> set[str]:
    root = site_root(page)
    if root is None:
        return set()
    label = page.specific_class._meta.label if page.specific_class else ""
    parent_id = parent.pk if has_url(parent) else None
    urls = {
        root + listing.format(type=label, parent=parent_id)
        for listing in API_LISTINGS
        if parent_id or "{parent}" not in listing
    }
    for detail in API_DETAILS:
        urls.add(root + detail.format(id=page.pk))
        if parent_id:
            urls.add(root + detail.format(id=parent_id))
    return urls


def parent_of(page: Page) -> Page | None:
    """The page's parent; None once it is gone too (a branch being deleted)."""
    try:
        return page.get_parent()
    except Page.DoesNotExist:
        return None


def page_urls(pages) -> set[str]:
    """The pages' own URLs (``get_cached_paths``): what Wagtail's handler purges."""
    batch = PurgeBatch()
    batch.add_pages(pages)
    return batch.urls


def related_urls(page: Page) -> set[str]:
    """The parent's URLs and the API URLs that show ``page``."""
    parent = parent_of(page)
    urls = page_urls([parent]) if has_url(parent) else set()
    return urls | api_urls(page, parent)


# What a change affects: the URLs the CDN purges and a webhook's event names
# (home.webhooks.events), worked out here once for both.


def published_urls(page: Page) -> set[str]:
    """Publishing, unpublishing or deleting ``page``: its own URLs and those
    that show it."""
    return page_urls([page]) | related_urls(page)


def moved_urls(page: Page, parent_before: Page, url_path_before: str) -> set[str]:
    """Old and new URLs of the page and its branch, both parents, the APIs. A
    live page's new slug is a move in place (``parent_before`` its parent)."""
    branch = [page, *page.get_descendants().live().specific()]
    return (
        page_urls(branch)
        | old_urls(page, branch, url_path_before)
        | related_urls(page)
        | related_urls_of(page, parent_before)
    )


def shown_content_urls(model) -> set[str]:
    """A snippet pages show changed: every live page and its API URLs, as the
    page cache empties itself (which pages show which snippet is not tracked);
    nothing for a model no page shows."""
    if model._meta.label not in SHOWN_ON_PAGES:
        return set()
    pages = list(Page.objects.live().public().filter(depth__gt=1).specific())
    urls = page_urls(pages)
    for page in pages:
        urls |= api_urls(page, None)
    return urls


def purge_later(urls: set[str]) -> None:
    if urls:
        transaction.on_commit(lambda: PurgeBatch(urls).purge(), robust=True)


def on_published_or_unpublished(sender, instance, **kwargs):
    """The page's own URLs are Wagtail's handler's; these are the rest."""
    if configured():
        purge_later(related_urls(instance))


def on_moved(sender, instance, parent_page_before, url_path_before, **kwargs):
    if configured():
        purge_later(moved_urls(instance, parent_page_before, url_path_before))


def on_slug_changed(sender, instance, instance_before, **kwargs):
    """A live page published under a new slug: its branch's old URLs go too."""
    if configured() and instance_before.live:
        purge_later(
            moved_urls(instance, instance.get_parent(), instance_before.url_path)
        )


def old_urls(page, branch, url_path_before) -> set[str]:
    """Where the branch was: its URL paths with the old prefix, on the old site."""
    urls = set()
    for moved in branch:
        path = url_path_before + moved.url_path.removeprefix(page.url_path)
        url = url_for_url_path(path)
        if url:
            urls.add(url)
    return urls


def url_for_url_path(url_path: str) -> str | None:
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return root.root_url + "/" + url_path.removeprefix(root.root_path)
    return None


def related_urls_of(page, old_parent) -> set[str]:
    urls = page_urls([old_parent.specific]) if has_url(old_parent) else set()
    return urls | api_urls(page, old_parent)


def on_shown_content_changed(sender, instance, raw=False, **kwargs):
    if not raw and configured():
        purge_later(shown_content_urls(sender))


def is_draftable(model) -> bool:
    return issubclass(model, DraftStateMixin)


def connect_signals():
    for signal in (page_published, page_unpublished):
        signal.connect(
            on_published_or_unpublished, dispatch_uid=f"cdn_related_{id(signal)}"
        )
    post_page_move.connect(on_moved, dispatch_uid="cdn_moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="cdn_slug_changed")
    for label in SHOWN_ON_PAGES:
        model = apps.get_model(label)
        # A draft (of an intake) changes nothing readers see until published.
        saved = (published, unpublished) if is_draftable(model) else (post_save,)
        for signal in (*saved, post_delete):
            signal.connect(
                on_shown_content_changed,
                sender=model,
                dispatch_uid=f"cdn_{label}_{id(signal)}",
            )


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP PURGE backend (Varnish, Fastly, nginx) with a timeout.

    Wagtail's waits as long as the cache keeps the connection open; a purge
    runs in the task worker, which must not hang with it.
    """

    def __init__(self, params):
        self.timeout = params.pop("TIMEOUT", 5)
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        query = f"?{parts.query}" if parts.query else ""
        request = PurgeRequest(
            url=f"{self.cache_scheme}://{self.cache_netloc}{parts.path}{query}",
            # The cache keys on the public host, not on where it listens.
            headers={"Host": parts.netloc, "User-Agent": "Wagtail-frontendcache"},
        )
        try:
            # The URL is built above from the configured http(s) location.
            urlopen(request, timeout=self.timeout)  # noqa: S310
        except (URLError, TimeoutError) as error:
            logger.error("Couldn't purge '%s' from HTTP cache: %s", url, error)
