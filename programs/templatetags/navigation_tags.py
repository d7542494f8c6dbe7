from django import template

from wagtail.models import Site

from programs.models import ProgramIndexPage, ProgramPage
from programs.visibility import public

register = template.Library()


NAV_FIELDS = ("id", "title", "url_path", "path", "depth")


def navigation_pages(request):
    """The public overview right below the site's root and its public
    programmes."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None, []
    index = (
        public(ProgramIndexPage.objects.child_of(site.root_page).live())
        .only(*NAV_FIELDS)
        .first()
    )
    if index is None:
        return None, []
    return index, list(ProgramPage.objects.child_of(index).listed().only(*NAV_FIELDS))


@register.inclusion_tag("components/site_nav.html", takes_context=True)
def site_nav(context):
    """The main navigation: the programme overview and its programmes."""
    request = context.get("request")
    index, programs = navigation_pages(request)
    current = context.get("page")
    return {
        "request": request,
        "program_index": index,
        "programs": programs,
        "current_url_path": getattr(current, "url_path", None),
    }
