"""The id of the request being answered, for the error pages' "Felkod".

Read from the logging context, not the template context: Django renders 500.html
with no context at all.
"""

from django import template

from serving.log_format import current_request_id

register = template.Library()


@register.simple_tag
def request_id():
    return current_request_id.get()
