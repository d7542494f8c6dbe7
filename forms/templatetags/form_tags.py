from django import template

from forms.models import ContactFormPage, InterestFormPage

register = template.Library()


def _first_live_page(context, model):
    """The first live, public page of ``model``, looked up once per request."""
    request = context.get("request")
    cache = getattr(request, "_form_page_cache", None) if request else None
    if cache is None:
        cache = {}
        if request is not None:
            request._form_page_cache = cache
    if model not in cache:
        cache[model] = model.objects.live().public().first()
    return cache[model]


@register.simple_tag(takes_context=True)
def contact_form_page(context):
    return _first_live_page(context, ContactFormPage)


@register.simple_tag(takes_context=True)
def interest_form_page(context):
    return _first_live_page(context, InterestFormPage)
