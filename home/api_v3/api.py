"""Wagtail 8's v3 API (a preview in 8.0) as this site mounts it at ``/api/v3/``.

Wagtail's own API object with its pages, sites, schema and whoami routes, this
site's typed page schemas (``schemas``, registered from ``HomeConfig.ready``),
the snippets a front-end needs and the preview token exchange. Anonymous
clients read live, public pages; a bearer token (``APIToken``, managed in the
admin under Inställningar → API-nycklar) reads drafts and writes as far as its
user's admin permissions allow.
"""

from wagtail.api.v3.urls import api

from . import images, openapi, preview
from .deletion import guard_page_deletion
from .errors import register_exception_handlers
from .requests import site_rules

api.title = "Toppolitikerprogrammen: innehåll (Wagtail API v3)"
api.version = "3.0.0"
api.description = (
    "This site's pages, typed per page type (`meta.type`), and the snippets "
    "they use: intakes with their sessions and venues, practical facts and "
    "information owners.\n\n"
    "Anonymous clients read live, public pages. Send `Authorization: Bearer "
    "<token>` (an API token from the admin) to read drafts with "
    "`?version=draft` and to write, as far as the token's user may in the "
    "admin. No submission or other personal data is served here: submissions "
    "go to the forms API (`/api/forms/`).\n\n"
    "Errors are RFC 9457 problem details (`application/problem+json`) in "
    "Swedish; each `type` is a page that explains it."
)

register_exception_handlers(api)
api.add_decorator(site_rules, mode="view")
api.add_router("/", preview.router)
api.add_router("/", images.router)
guard_page_deletion()
openapi.install(api)
