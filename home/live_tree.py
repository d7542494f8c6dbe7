"""The live page tree as readers see it, read once per content change.

Every public page shows the same site-wide parts (the navigation, the footer's
links, the contact link, the interest form's state, the breadcrumbs), and
Wagtail's routing walks the tree with two queries per level. All of these are
answers about the live tree, which changes only when something is published,
unpublished, moved, deleted or restricted: exactly when the page cache's
generation changes (``home.page_cache``). So each process keeps one snapshot of
the tree per generation and site and builds a new one after any change; a
rendered page then costs its own content and little else.

A snapshot holds what such a change bumps the generation for: titles, URLs, the
tree's shape, view restrictions, and the specific pages asked of it. Whatever
depends on the clock (an interest form opening) is worked out from it when the
page renders. With ``PAGE_CACHE_SECONDS = 0`` nothing outlives the request.
"""

import threading
import time

from django.core.exceptions import DisallowedHost
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.functional import cached_property

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site

from . import page_cache

# What titles, links and routing need: every other field stays unread.
FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "content_type_id",
    "alias_of_id",
)


class LiveTree:
    """The live pages at and below one site's root, in tree order."""

    def __init__(self, root: Page):
        self.root = root
        self._specific: dict[int, Page] = {}
        self._lock = threading.Lock()

    @cached_property
    def pages(self) -> list[Page]:
        """Live pages, each marked ``restricted`` when it or an ancestor has a
        view restriction, or is an alias of a page under one (Wagtail applies
        the source's restrictions to its aliases): two queries however large
        the tree, three when it holds aliases."""
        pages = list(
            Page.objects.live()
            .filter(path__startswith=self.root.path)
            .order_by("path")
            .only(*FIELDS)
        )
        restricted = tuple(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        )
        restricted_sources = self.restricted_alias_sources(pages, restricted)
        restricted_paths = [
            page.path for page in pages if page.alias_of_id in restricted_sources
        ]
        for page in pages:
            page.restricted = bool(restricted) and (
                page.path.startswith(restricted)
                or any(page.path.startswith(path) for path in restricted_paths)
            )
        return pages

    @staticmethod
    def restricted_alias_sources(pages, restricted) -> set[int]:
        """The ids of alias sources at or under a restricted page."""
        sources = {page.alias_of_id for page in pages if page.alias_of_id}
        if not sources or not restricted:
            return set()
        return {
            pk
            for pk, path in Page.objects.filter(pk__in=sources).values_list(
                "pk", "path"
            )
            if path.startswith(restricted)
        }

    @cached_property
    def by_url_path(self) -> dict[str, Page]:
        return {page.url_path: page for page in self.pages}

    @cached_property
    def by_id(self) -> dict[int, Page]:
        return {page.pk: page for page in self.pages}

    def page_with_id(self, page_id: int) -> Page | None:
        return self.by_id.get(page_id)

    def find(self, path_components: list[str]) -> tuple[Page, list[str]] | None:
        """The live page the path leads to as Wagtail's walk would find it, and
        what is left of the path for the page's own routing.

        Wagtail walks down from the root, and a routable page on the way tries
        its own routes before its children; so does this, down to the deepest
        page the tree knows (whose children, if any are asked for, are not
        live or not known: Wagtail's walk answers for those)."""
        found = None
        for length in range(1, len(path_components) + 1):
            url_path = self.root.url_path + "".join(
                f"{component}/" for component in path_components[:length]
            )
            page = self.by_url_path.get(url_path)
            if page is None:
                continue
            rest = path_components[length:]
            if rest and has_route(page.specific_class, rest):
                return page, rest
            found = (page, rest)
        return found

    def children(self, page: Page, model=None) -> list[Page]:
        """The public live children of ``page`` (of ``model`` if given)."""
        return [
            child
            for child in self.pages
            if child.depth == page.depth + 1
            and child.path.startswith(page.path)
            and not child.restricted
            and (model is None or child.specific_class is model)
        ]

    def ancestors(self, page: Page) -> list[Page]:
        """The live pages above ``page`` from the site's root down."""
        return [
            ancestor
            for ancestor in self.pages
            if ancestor.depth < page.depth and page.path.startswith(ancestor.path)
        ]

    def parent(self, page: Page) -> Page | None:
        parents = self.ancestors(page)
        return parents[-1] if parents and parents[-1].depth == page.depth - 1 else None

    def specific(self, page: Page):
        """``page`` as its own type, read once per snapshot; None if it is gone."""
        if page.pk not in self._specific:
            model = page.specific_class
            found = model._default_manager.filter(pk=page.pk).first() if model else None
            with self._lock:
                self._specific.setdefault(page.pk, found)
        return self._specific[page.pk]

    def first_public(self, model):
        """The first public live page of ``model`` in tree order, as its own type."""
        page = next(
            (
                page
                for page in self.pages
                if page.specific_class is model and not page.restricted
            ),
            None,
        )
        return self.specific(page) if page is not None else None


def has_route(model, rest: list[str]) -> bool:
    """Whether a routable page type has a route of its own for ``rest``."""
    if not issubclass(model or object, RoutablePageMixin):
        return False
    try:
        model.get_resolver().resolve("/" + "/".join(rest) + "/")
    except Http404:
        return False
    return True


def page_to_serve(entry: Page):
    """The page ``entry`` stands for, read fresh as its own type in one query,
    with what the type names in ``serve_select_related`` (shown on every view)."""
    model = entry.specific_class
    if model is None:  # its type's code is gone
        return None
    queryset = model._default_manager.select_related(
        *getattr(model, "serve_select_related", ())
    )
    return queryset.filter(pk=entry.pk).first()


class Kept:
    """What one process keeps for one generation: a tree per site root, and
    the site found for each host (Wagtail reads it with a query per request)."""

    # A host per site name and port is all a real site has; a flood of made-up
    # Host headers (where ALLOWED_HOSTS lets them in) must not grow it.
    MAX_HOSTS = 16

    def __init__(self, generation: str):
        self.generation = generation
        self.born = time.monotonic()
        self.trees: dict[int, LiveTree] = {}
        self.sites: dict[tuple[str, int], Site] = {}

    def is_current(self, generation: str) -> bool:
        # Aged out as the page cache's entries are: a change made while Redis
        # was unreachable bumped no generation, and must show in the end too.
        age = time.monotonic() - self.born
        return self.generation == generation and age < page_cache.cache_seconds()


_kept: Kept | None = None
_kept_lock = threading.Lock()


def kept_for(generation: str) -> Kept:
    """This process's keep for ``generation``, new if the one it has is older."""
    global _kept
    kept = _kept
    if kept is None or not kept.is_current(generation):
        with _kept_lock:
            if _kept is None or not _kept.is_current(generation):
                _kept = Kept(generation)
            kept = _kept
    return kept


def request_generation(request) -> str:
    """The generation this request renders: the page cache has read it already
    for a request it could answer; any other request reads it here."""
    if getattr(request, "content_generation", None) is None:
        request.content_generation = page_cache.generation()
    return request.content_generation


def live_tree(request) -> LiveTree | None:
    """The snapshot for ``request``'s site, the same object for the whole request."""
    if request is None:
        return None
    if hasattr(request, "_live_tree"):
        return request._live_tree
    site = Site.find_for_request(request)
    if site is None:
        tree = None
    elif page_cache.cache_seconds() <= 0:
        tree = LiveTree(site.root_page)
    else:
        trees = kept_for(request_generation(request)).trees
        tree = trees.get(site.root_page.pk) or trees.setdefault(
            site.root_page.pk, LiveTree(site.root_page)
        )
    request._live_tree = tree
    return tree


def clear() -> None:
    """Forget what this process keeps (tests that change the tree unseen)."""
    global _kept
    with _kept_lock:
        _kept = None


class KeptSiteMiddleware:
    """Give Wagtail the request's site from this process's keep.

    Wagtail finds the site for every request with a query and keeps it on the
    request as ``_wagtail_site``, where ``Site.find_for_request`` looks first.
    A site and its root page change only with a new generation (saving a Site
    bumps it), so the site found once per host is kept with its root page read
    as its own type, which Wagtail's routing asks for next. After the page cache
    in ``MIDDLEWARE``, which has read the generation for the requests it sees.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if page_cache.cache_seconds() > 0:
            self.give_site(request)
        return self.get_response(request)

    def give_site(self, request):
        try:
            key = (split_domain_port(request.get_host())[0], request.get_port())
        except DisallowedHost:
            return  # Wagtail's own lookup answers it as it always has
        sites = kept_for(request_generation(request)).sites
        site = sites.get(key)
        if site is None:
            site = Site.find_for_request(request)
            if site is None or len(sites) >= Kept.MAX_HOSTS:
                return
            site.root_page.specific  # noqa: B018 - read now, kept with the site
            sites.setdefault(key, site)
        request._wagtail_site = site
