"""What every v3 operation does around Wagtail's own handling of it.

Added to the whole API (``api.add_decorator``, view mode: before validation and
authentication), so each route gets the same rules:

- A draft is read with a token: an anonymous ``?version=draft`` is 401, not
  the live page under the draft's name.
- A token that was sent but is not valid is 401, never an anonymous read that
  the client would take for its token's view.
- The root page is the tree's anchor, not content: no page action (copy,
  alias, move, publish...) is run on it; Wagtail's copy and alias routes fail
  on it with a server error.
- The ``site`` filter names a host or ``host:port``; any other port is a bad
  request (Wagtail's find route fails on it with a server error).
- At most ``API_RATE_LIMIT`` requests per client (token, else address) and
  period; reads answered from the page cache never get this far.
- Reads say how they may be cached (``home.api_caching``).
"""

import hashlib
from functools import wraps

from django.conf import settings

from wagtail.models import Page

from forms.submitting import client_ip, count_hit, parse_rate

from ..api_caching import api_read, has_credentials
from .errors import unauthorized
from .problems import problem_response

MAX_PORT = 65535


def well_formed_site(value: str) -> bool:
    _host, colon, port = value.partition(":")
    return not colon or (port.isascii() and port.isdigit() and int(port) <= MAX_PORT)


def client_key(request) -> str:
    if has_credentials(request):
        credentials = request.META["HTTP_AUTHORIZATION"].encode()
        return "token:" + hashlib.sha256(credentials).hexdigest()
    return client_ip(request)


def rate_limited(request):
    parsed = parse_rate(settings.API_RATE_LIMIT)
    if parsed is None:
        return None
    limit, period = parsed
    count, retry_after = count_hit("api:rate", client_key(request), period)
    if count <= limit:
        return None
    return problem_response(429, headers={"Retry-After": str(retry_after)})


def acts_on_the_root(request) -> bool:
    match = request.resolver_match
    return bool(
        match
        and (match.url_name or "").startswith("pages_actions_")
        and Page.objects.filter(pk=match.kwargs.get("page_id"), depth=1).exists()
    )


def refusal(request):
    """The answer to a request refused before Wagtail handles it, else None."""
    if request.GET.get("version") == "draft" and not has_credentials(request):
        return unauthorized("Utkast (?version=draft) läses med en API-nyckel.")
    if not well_formed_site(request.GET.get("site", "")):
        return problem_response(
            400,
            "Parametern site ska vara en värd eller värd:port, t.ex. example.org:443.",
        )
    limited = rate_limited(request)
    if limited is not None:
        return limited
    if acts_on_the_root(request):
        return problem_response(
            422,
            errors=[
                {
                    "type": "root_page",
                    "loc": ["path", "page_id"],
                    "msg": "Rotsidan är trädets fäste, inget innehåll: den kan "
                    "inte kopieras, flyttas, publiceras eller få alias.",
                }
            ],
        )
    return None


def site_rules(run):
    @wraps(run)
    def wrapped(request, *args, **kwargs):
        refused = refusal(request)
        if refused is not None:
            return refused
        response = run(request, *args, **kwargs)
        if (
            has_credentials(request)
            and not request.user.is_authenticated
            and response.status_code != 401
        ):
            return unauthorized("API-nyckeln är okänd, återkallad eller inaktiv.")
        return response

    return api_read(reads_tokens=True)(wrapped)
