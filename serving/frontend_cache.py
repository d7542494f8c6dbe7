"""CDN purge on publish, through ``wagtail.contrib.frontend_cache``.

What a change affects is the content change's own (``serving.content_changes``):
a page's URLs, its parent's that list it, the read APIs' listings and details,
both places of a move, every live page for something pages show. This purges
those URLs for each ``content_changed``, except a published or unpublished
page's own, which Wagtail's handlers purge already. Deleting a live page
unpublishes it first (Wagtail's pre_delete handler), so a delete is purged as an
unpublish too.

Purges are queued once the change commits (a CDN that refetched before the
commit would cache the old version again). When no backend is configured
(``WAGTAILFRONTENDCACHE`` empty) nothing is queried and nothing is sent.
"""

import logging
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction

from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from .content_changes import PUBLISHED, UNPUBLISHED, content_changed

logger = logging.getLogger("wagtail.frontendcache")


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_later(urls) -> None:
    if urls:
        transaction.on_commit(lambda: PurgeBatch(urls).purge(), robust=True)


def on_content_changed(sender, change, **kwargs):
    if not configured():
        return
    urls = change.urls
    if change.is_page and change.action in (PUBLISHED, UNPUBLISHED):
        urls -= change.page_urls  # Wagtail's own handlers purge those
    purge_later(set(urls))


def connect_signals():
    content_changed.connect(on_content_changed, dispatch_uid="cdn_content_changed")


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
