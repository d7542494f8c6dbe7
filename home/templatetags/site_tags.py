from django import template

from wagtail.models import Site

from home.models import ContentPage

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """The text pages right under the site's root: privacy notice, accessibility.

    Every page links to them from its footer, as the accessibility statement must
    be easy to find from anywhere on the site. One query: the site and its root
    page are already on the request for the header's navigation.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(
        ContentPage.objects.live()
        .child_of(site.root_page)
        .filter(view_restrictions__isnull=True)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )
