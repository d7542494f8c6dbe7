"""Preview in an external front-end (``HEADLESS_PREVIEW_URL``).

When a front-end other than this site's templates renders the pages, the
admin's preview must show that front-end's rendering of the draft. The preview
then sends the editor's browser to ``HEADLESS_PREVIEW_URL`` with a signed,
short-lived token naming the page and its latest saved revision; the front-end
exchanges the token for that revision as JSON at ``/api/v3/preview/``. The token
is bound to one revision: a later draft needs a new preview, and a token cannot
be edited to name another page or revision.

wagtail-headless-preview (0.9.0) declares support up to Wagtail 7 only and
stores every preview in a table of its own; this needs neither.

Lives here, in the app every page type already builds on, so each page type can
use the mixin without depending on the app that serves the API.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

SALT = "programs.headless_preview"
HEADLESS_MODE = "headless"


class PreviewTokenError(Exception):
    """A token that names no revision: expired, altered or made up."""


class PreviewTokenExpired(PreviewTokenError):
    pass


@dataclass(frozen=True)
class PreviewTarget:
    page_id: int
    revision_id: int


def make_preview_token(page_id: int, revision_id: int) -> str:
    """A signed, timestamped token for one revision of one page."""
    return signing.dumps({"page": page_id, "revision": revision_id}, salt=SALT)


def read_preview_token(token: str, max_age: int | None = None) -> PreviewTarget:
    """The page and revision a token names, if it is genuine and still fresh."""
    if max_age is None:
        max_age = settings.HEADLESS_PREVIEW_MAX_AGE
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise PreviewTokenExpired(str(error)) from error
    except signing.BadSignature as error:
        raise PreviewTokenError(str(error)) from error
    page_id, revision_id = data.get("page"), data.get("revision")
    if not isinstance(page_id, int) or not isinstance(revision_id, int):
        raise PreviewTokenError("The token names no revision.")
    return PreviewTarget(page_id, revision_id)


def headless_preview_url() -> str:
    return settings.HEADLESS_PREVIEW_URL


def external_preview_location(page, revision_id: int) -> str:
    """Where the editor's browser goes: the front-end, with the token."""
    query = urlencode(
        {
            "token": make_preview_token(page.pk, revision_id),
            "content_type": page._meta.label,
            "page_id": page.pk,
        }
    )
    base = headless_preview_url()
    return f"{base}{'&' if '?' in base else '?'}{query}"


def latest_revision_id(page) -> int | None:
    """The page's latest saved revision: what the external preview shows."""
    if not page.pk:
        return None
    from wagtail.models import Page

    return (
        Page.objects.filter(pk=page.pk)
        .values_list("latest_revision_id", flat=True)
        .first()
    )


class HeadlessPreviewMixin:
    """Adds the external front-end as the first preview mode when one is set.

    When ``HEADLESS_PREVIEW_URL`` is empty the page's preview modes, and so
    Wagtail's own preview, are exactly as they were.
    """

    @property
    def preview_modes(self):
        modes = super().preview_modes
        if not headless_preview_url():
            return modes
        return [(HEADLESS_MODE, _("Extern webbplats (senast sparade utkast)")), *modes]

    def serve_preview(self, request, mode_name):
        if mode_name != HEADLESS_MODE or not headless_preview_url():
            return super().serve_preview(request, mode_name)
        revision_id = latest_revision_id(self)
        if revision_id is None:
            return save_first(request)
        return HttpResponseRedirect(external_preview_location(self, revision_id))


def save_first(request) -> HttpResponse:
    """A page never saved has no revision for the front-end to show."""
    return TemplateResponse(request, "components/headless_preview_unsaved.html")
