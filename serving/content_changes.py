"""What readers see has changed: the one place that decides it.

Wagtail and Django signal a great many things (a page published, moved,
deleted, a snippet saved or published, a revision scheduled, a site saved).
This module listens to them all and turns each change readers could notice into
one ``ContentChange``, sent as ``content_changed``. The page cache, the CDN
purge and the publish webhooks subscribe to that signal and nothing else, so
they agree on what a change is.

The rule for drafts, here and nowhere else: a change is public only when it
changes a live object. Saving a draft (a page's or a snippet's revision)
changes nothing; a publish that only schedules a revision changes nothing until
``publish_scheduled`` makes it live; a draft's new slug counts when it moves a
live page below it. Moves and deletions change the tree itself and always
count. For models without drafts every save counts.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import TypeGuard
from urllib.parse import urlsplit

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

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
from wagtail.snippets.models import get_snippet_models

# Sent with ``change=ContentChange``; the sender is the changed object's model.
content_changed = Signal()

PUBLISHED = "published"
UNPUBLISHED = "unpublished"
MOVED = "moved"
DELETED = "deleted"
SAVED = "saved"

# What pages show besides the pages themselves: saving or deleting one changes
# what readers see (which page shows which is not tracked, so every page). Other
# models (submissions, task results, sessions) are saved all the time and are
# no content change, unless they are snippets a front-end may read.
SHOWN_ON_PAGES = (
    "programs.ProgramFormat",
    "programs.Intake",
    # An intake's sessions, saved with its publish or on their own.
    "programs.Session",
    "programs.Venue",
    "programs.ContactPerson",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "wagtailcore.Site",
    # Restricting a page takes it from every public list.
    "wagtailcore.PageViewRestriction",
)

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


@dataclass(eq=False)
class ContentChange:
    """One change readers can see: what changed and how, whether it is live
    now, and (``urls``) every URL that shows it, worked out on first use."""

    action: str
    instance: object
    live: bool
    # A move's (or a new slug's) former place.
    parent_before: Page | None = None
    url_path_before: str | None = None

    @property
    def model(self):
        return type(self.instance)

    @property
    def is_page(self) -> bool:
        return isinstance(self.instance, Page)

    @property
    def is_snippet(self) -> bool:
        return self.model in get_snippet_models()

    @property
    def shown_on_pages(self) -> bool:
        return self.is_page or self.model._meta.label in SHOWN_ON_PAGES

    @cached_property
    def urls(self) -> frozenset[str]:
        if self.action == MOVED and isinstance(self.instance, Page):
            # A move always says where the page was; its own path otherwise.
            before = self.url_path_before or self.instance.url_path
            urls = moved_urls(self.instance, self.parent_before, before)
        elif self.is_page:
            urls = published_urls(self.instance)
        else:
            urls = shown_content_urls(self.model)
        return frozenset(urls)

    @cached_property
    def page_urls(self) -> frozenset[str]:
        """The changed page's own URLs (its ``get_cached_paths``)."""
        return frozenset(page_urls([self.instance])) if self.is_page else frozenset()


def announce(action, instance, live, **extra) -> ContentChange:
    change = ContentChange(action, instance, live, **extra)
    content_changed.send(sender=change.model, change=change)
    return change


# Pages.


def on_page_published(sender, instance, revision=None, **kwargs):
    # Wagtail signals a publish that only schedules the revision: a page not
    # yet live, or a live page whose live revision stays the one it was.
    if instance.live and (revision is None or instance.live_revision_id == revision.pk):
        announce(PUBLISHED, instance, live=True)


def on_page_unpublished(sender, instance, **kwargs):
    announce(UNPUBLISHED, instance, live=False)


def on_page_created(sender, instance, created, raw=False, **kwargs):
    """A page created live, with no publish: an alias, a copy kept live."""
    if created and not raw and isinstance(instance, Page) and instance.live:
        announce(PUBLISHED, instance, live=True)


def on_page_deleted(sender, instance, **kwargs):
    # A live page is unpublished first (Wagtail's pre_delete): that is
    # announced as such, and this says it is gone for good.
    announce(DELETED, instance, live=False)


def on_page_moved(sender, instance, parent_page_before, url_path_before, **kwargs):
    # A move is no draft: it changes the tree at once, live or not.
    announce(
        MOVED,
        instance,
        live=instance.live,
        parent_before=parent_page_before,
        url_path_before=url_path_before,
    )


def on_slug_changed(sender, instance, instance_before, **kwargs):
    """A new slug moves the page and its branch in place. A live page's slug
    changes when it is published; a draft's when it is saved, which moves
    whatever is live below it."""
    if instance_before.live or has_live_pages(instance):
        announce(
            MOVED,
            instance,
            live=instance.live,
            parent_before=instance.get_parent(),
            url_path_before=instance_before.url_path,
        )


def has_live_pages(page: Page) -> bool:
    return page.live or page.get_descendants().live().exists()


# Everything else: snippets and what pages show.


def is_watched(model) -> bool:
    if issubclass(model, Page):
        return False
    # Snippets are registered by wagtail_hooks after this connects: ask now.
    return model._meta.label in SHOWN_ON_PAGES or model in get_snippet_models()


def has_drafts(model) -> bool:
    return issubclass(model, DraftStateMixin)


def on_saved(sender, instance, raw=False, **kwargs):
    # A model with drafts is changed for readers by its publish, not its saves.
    if not raw and not has_drafts(sender) and is_watched(sender):
        announce(SAVED, instance, live=True)


def on_deleted(sender, instance, **kwargs):
    if not is_watched(sender):
        return
    if has_drafts(sender) and not instance.live:
        return  # a draft that never went live, or is no longer
    announce(DELETED, instance, live=False)


def on_published(sender, instance, revision=None, **kwargs):
    # As for pages: a publish that only schedules waits for its time.
    if (
        is_watched(sender)
        and instance.live
        and (revision is None or instance.live_revision_id == revision.pk)
    ):
        announce(PUBLISHED, instance, live=True)


def on_unpublished(sender, instance, **kwargs):
    if is_watched(sender):
        announce(UNPUBLISHED, instance, live=False)


def connect_signals():
    page_published.connect(on_page_published, dispatch_uid="content_page_published")
    page_unpublished.connect(
        on_page_unpublished, dispatch_uid="content_page_unpublished"
    )
    post_page_move.connect(on_page_moved, dispatch_uid="content_page_moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="content_slug_changed")
    post_save.connect(on_page_created, sender=None, dispatch_uid="content_page_new")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="content_page_gone")
    post_save.connect(on_saved, dispatch_uid="content_saved")
    post_delete.connect(on_deleted, dispatch_uid="content_deleted")
    # Sent for pages too, after page_published: is_watched leaves those out.
    published.connect(on_published, dispatch_uid="content_published")
    unpublished.connect(on_unpublished, dispatch_uid="content_unpublished")
    for label in SHOWN_ON_PAGES:
        apps.get_model(label)  # a wrong label fails at start, not at a save


# Which URLs show a change: the CDN purges them and webhooks name them.


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
    """The pages' own URLs (``get_cached_paths``)."""
    batch = PurgeBatch()
    batch.add_pages(pages)
    return batch.urls


def related_urls(page: Page) -> set[str]:
    """The parent's URLs and the API URLs that show ``page``."""
    parent = parent_of(page)
    urls = page_urls([parent]) if has_url(parent) else set()
    return urls | api_urls(page, parent)


def published_urls(page: Page) -> set[str]:
    """Publishing, unpublishing or deleting ``page``: its own URLs and those
    that show it."""
    return page_urls([page]) | related_urls(page)


def moved_urls(page: Page, parent_before: Page, url_path_before: str) -> set[str]:
    """Old and new URLs of the page and its branch, both parents, the APIs. A
    new slug is a move in place (``parent_before`` its parent)."""
    branch = [page, *page.get_descendants().live().specific()]
    return (
        page_urls(branch)
        | old_urls(page, branch, url_path_before)
        | related_urls(page)
        | related_urls_of(page, parent_before)
    )


def shown_content_urls(model) -> set[str]:
    """Something pages show changed: every live page and its API URLs, as the
    page cache empties itself; nothing for a model no page shows."""
    if model._meta.label not in SHOWN_ON_PAGES:
        return set()
    pages = list(Page.objects.live().public().filter(depth__gt=1).specific())
    urls = page_urls(pages)
    for page in pages:
        urls |= api_urls(page, None)
    return urls


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
