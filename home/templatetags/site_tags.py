import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from wagtail.models import Site

from home.models import ContentPage
from programs.models import ProgramPage
from programs.structured_data import course
from programs.visibility import public

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """The text pages right under the site's root: privacy notice, accessibility.

    Every page links to them from its footer, as the accessibility statement must
    be easy to find from anywhere on the site. Public ones only: a page under a
    view restriction would ask every reader to log in.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(
        public(ContentPage.objects.child_of(site.root_page).live())
        .order_by("path")
        .only("id", "title", "url_path")
    )


def json_ld(data):
    """``data`` in a JSON-LD script element, escaped so no text can end it."""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 (escaped above)
    )


# The characters that could close the script element or open a comment in it.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    """``{% structured_data page %}``: a BreadcrumbList, and a Course on programmes.

    The breadcrumbs are the page and its ancestors below the tree's root.
    """
    request = context.get("request")
    trail = [
        *page.get_ancestors()
        .filter(depth__gte=2)
        .only("id", "title", "url_path", "path", "depth"),
        page,
    ]
    items = []
    for position, crumb in enumerate(trail, start=1):
        item = {"@type": "ListItem", "position": position, "name": crumb.title}
        url = crumb.get_full_url(request)
        if url:
            item["item"] = url
        items.append(item)
    blocks = [
        json_ld(
            {
                "@context": "https://schema.org",
                "@type": "BreadcrumbList",
                "itemListElement": items,
            }
        )
    ]
    if isinstance(page, ProgramPage):
        blocks.append(json_ld(course(page, request)))
    return format_html_join("\n", "{}", ((block,) for block in blocks))
