"""The preview token exchange: an external front-end's way to a draft.

The admin's preview sends the editor to ``HEADLESS_PREVIEW_URL`` with a signed
token (``programs.headless_preview``); the front-end posts nothing and holds no
API token: it passes that token here and gets the one revision it names, in the
same shape as ``GET /api/v3/pages/{id}/``. Never cached: it is a draft.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers

from wagtail.api.v3.auth import AllowAnonymous
from wagtail.api.v3.errors import ProblemDetail
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.models import Page

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from programs.headless_preview import (
    PreviewTokenError,
    PreviewTokenExpired,
    read_preview_token,
)

router = Router(tags=["preview"])


def problem_content(*statuses: int) -> dict:
    """Declare error answers as they are sent: ``application/problem+json``."""
    ref = {"$ref": "#/components/schemas/ProblemDetail"}
    return {
        "responses": {
            status: {"content": {"application/problem+json": {"schema": ref}}}
            for status in statuses
        }
    }


class PreviewQuery(Schema):
    token: str


@router.get(
    "/preview/",
    response={200: PageDetailSchema, 403: ProblemDetail, 404: ProblemDetail},
    auth=[AllowAnonymous()],
    url_name="preview",
    summary="Exchange a preview token for the draft it names",
    description=(
        "The admin's preview opens `HEADLESS_PREVIEW_URL` with `token`, "
        "`content_type` and `page_id` in the query string. Pass `token` here "
        "to get that one revision of the page. A token is valid for "
        "`HEADLESS_PREVIEW_MAX_AGE` seconds; an expired, altered or unknown "
        "token is answered 403."
    ),
    operation_id="preview_exchange",
    openapi_extra=problem_content(403, 404),
)
def exchange_preview_token(
    request: HttpRequest,
    response: HttpResponse,
    query: PreviewQuery = Query(...),  # noqa: B008 (ninja's way to declare it)
):
    add_never_cache_headers(response)
    try:
        target = read_preview_token(query.token)
    except PreviewTokenExpired as error:
        raise HttpError(
            403, "Förhandsvisningen har gått ut. Förhandsgranska igen i admin."
        ) from error
    except PreviewTokenError as error:
        raise HttpError(403, "Ogiltig förhandsvisningsnyckel.") from error
    page = get_object_or_404(Page, pk=target.page_id)
    revision = get_object_or_404(page.revisions, pk=target.revision_id)
    return revision.as_object()
