"""The server-error answer, which says "try again shortly" when the database is.

While PostgreSQL restarts or a connection drops, a request fails with a database
error through no fault of the reader. Such a failure is answered 503 with
``Retry-After``, so browsers, front-ends and CDNs know to come back, and API
clients get it as problem details like every other API error.
"""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from .api_v3 import problems as v3_problems

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
V3_PREFIX = "/api/v3/"


def problem_response(status: int, title: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/problem+json",
        status=status,
    )


# What the APIs other than v3 say of a request they cannot answer, by status.
API_PROBLEMS = {
    400: ("Ogiltig begäran", "Begäran kunde inte tolkas."),
    404: ("Hittades inte", "Det finns inget i API:t på den adressen."),
    500: ("Ett fel har uppstått", "Något gick fel hos oss. Försök igen senare."),
    503: (
        "Tillfälligt otillgänglig",
        "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
    ),
}


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_problem(request, status: int) -> HttpResponse:
    """An API's answer that no view of it gave: in that API's own format."""
    if request.path_info.startswith(V3_PREFIX):
        return v3_problems.problem_response(status)
    return problem_response(status, *API_PROBLEMS[status])


@csrf_exempt  # the APIs take no cookies; a POST to nowhere is still a 404
def api_not_found(request, path=""):
    """Any address under /api/ that no API answers: a 404 in the APIs' own
    format (problem details), not the site's HTML page. A front-end that builds
    an id into a URL wrongly (``/api/forms/null``) gets JSON it can read."""
    return api_problem(request, 404)


def server_error(request):
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    if is_api(request):
        response = api_problem(request, 503 if unavailable else 500)
    elif unavailable:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    else:
        return defaults.server_error(request)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
