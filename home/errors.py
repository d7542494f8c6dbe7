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

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def server_error(request):
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    if request.path_info.startswith(API_PREFIX):
        response = HttpResponse(
            json.dumps(
                {
                    "type": "about:blank",
                    "title": "Tillfälligt otillgänglig",
                    "status": 503,
                    "detail": "Tjänsten är tillfälligt otillgänglig. Försök igen "
                    "om en stund.",
                },
                ensure_ascii=False,
            ),
            content_type="application/problem+json",
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
