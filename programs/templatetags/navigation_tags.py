from django import template

from wagtail.models import Site

from programs.models import ProgramIndexPage

register = template.Library()


@register.inclusion_tag("components/site_nav.html", takes_context=True)
def site_nav(context):
    """The main navigation: the programme overview and its programmes.

    Reads the tree below the current site's root in two queries, so every page
    pays the same small, fixed price for its navigation.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    index = None
    if site is not None:
        index = (
            ProgramIndexPage.objects.child_of(site.root_page)
            .live()
            .public()
            .only("id", "title", "url_path", "path", "depth")
            .first()
        )
    current = context.get("page")
    return {
        "request": request,
        "program_index": index,
        "programs": index.programs if index else [],
        "current_url_path": getattr(current, "url_path", None),
    }
