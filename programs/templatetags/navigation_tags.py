from django import template

from wagtail.models import Page, Site

from programs.models import ListedPageQuerySet, ProgramIndexPage, ProgramPage

register = template.Library()


def _navigation_pages(root):
    """The overview below ``root`` and its programmes, read in one query.

    The header is on every page, so it reads plain pages (title and URL are all it
    shows) rather than each type's own table.
    """
    pages = list(
        ListedPageQuerySet(Page)
        .listed()
        .type(ProgramIndexPage, ProgramPage)
        .filter(path__startswith=root.path, depth__in=[root.depth + 1, root.depth + 2])
        .only("id", "title", "url_path", "path", "depth", "content_type_id")
    )
    index = next(
        (
            page
            for page in pages
            if page.depth == root.depth + 1 and page.specific_class is ProgramIndexPage
        ),
        None,
    )
    if index is None:
        return None, []
    programs = [
        page
        for page in pages
        if page.depth == index.depth + 1
        and page.path.startswith(index.path)
        and page.specific_class is ProgramPage
    ]
    return index, programs


@register.inclusion_tag("components/site_nav.html", takes_context=True)
def site_nav(context):
    """The main navigation: the programme overview and its programmes."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    index, programs = _navigation_pages(site.root_page) if site else (None, [])
    current = context.get("page")
    return {
        "request": request,
        "program_index": index,
        "programs": programs,
        "current_url_path": getattr(current, "url_path", None),
    }
