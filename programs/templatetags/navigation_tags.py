from django import template

from home.live_tree import live_tree
from programs.models import ProgramIndexPage, ProgramPage

register = template.Library()


def navigation_pages(tree):
    """The public overview right below the site's root and its public
    programmes, from the live tree: no query of their own."""
    if tree is None:
        return None, []
    index = next(iter(tree.children(tree.root, ProgramIndexPage)), None)
    if index is None:
        return None, []
    return index, tree.children(index, ProgramPage)


@register.inclusion_tag("components/site_nav.html", takes_context=True)
def site_nav(context):
    """The main navigation: the programme overview and its programmes."""
    request = context.get("request")
    index, programs = navigation_pages(live_tree(request))
    current = context.get("page")
    return {
        "request": request,
        "program_index": index,
        "programs": programs,
        "current_url_path": getattr(current, "url_path", None),
    }
