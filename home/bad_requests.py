"""Refuses requests that no page, API or admin view of this site can answer.

A NUL byte in a URL reaches the database as text, and PostgreSQL cannot hold one:
the search of the page API, the inbox search and Wagtail's page routing would
all answer with a server error. Nothing here ever takes a NUL, so such a request
is a bad request wherever it is sent (in the APIs, as their problem details).
"""

from django.core.exceptions import SuspiciousOperation
from django.views import defaults

from .errors import api_problem, is_api

NUL = "\x00"


class RefuseNullBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_null_byte(request):
            if is_api(request):
                return api_problem(request, 400)
            exception = SuspiciousOperation("NUL byte in the URL")
            return defaults.bad_request(request, exception)
        return self.get_response(request)


def has_null_byte(request):
    if NUL in request.path_info:
        return True
    return any(
        NUL in key or any(NUL in value for value in values)
        for key, values in request.GET.lists()
    )
