"""A v3 delete that takes submissions along names their count first.

Wagtail's delete endpoints (``DELETE /pages/{id}/`` and ``…/actions/delete/``)
call its delete action, which refuses whoever may not delete the page: for a
form page, or a page above one, everyone but a superuser
(``programs.page_permissions``). A superuser is asked, as in the admin, to
confirm how many submissions go with the page: ``?confirm_submissions=<count>``,
or a 409 that says how many. Only someone who may delete the page learns the
count; everyone else gets the delete action's own refusal.
"""

from functools import wraps

from django.utils.translation import gettext as _

from wagtail.api.v3.routers.pages import actions_router
from wagtail.api.v3.routers.pages import router as pages_router
from wagtail.models import Page

from forms.deletion import (
    CONFIRM_FIELD,
    how_many,
    is_confirmed,
    submissions_deleted_with,
)

from .problems import problem_response

CONFIRMATION_PARAMETER = {
    "name": CONFIRM_FIELD,
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 0},
    "description": (
        "How many submissions (form answers) are deleted with the page: "
        "required, and must be exact, when the page or a page below it is a "
        "form page with submissions. Only a superuser deletes a form page or a "
        "page above one."
    ),
}
DESCRIPTION = (
    "Deletes the page and every page below it. Only a superuser deletes a form "
    "page or a page above one (403 for everyone else). When submissions would be "
    f"deleted with it, `{CONFIRM_FIELD}` must name their count (409 otherwise)."
)
RESPONSES = {
    "409": {
        "description": (
            f"Submissions would be deleted and `{CONFIRM_FIELD}` does not name "
            "their count; `errors[0].ctx.submissions` gives it."
        ),
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    },
}


def unconfirmed_submissions(request, page_id):
    """The 409 for a delete that would take unconfirmed submissions along."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not page.permissions_for_user(request.user).can_delete():
        return None  # the endpoint answers 404 or 403 itself
    count = submissions_deleted_with([page])
    if is_confirmed(count, request.GET.get(CONFIRM_FIELD)):
        return None
    detail = _(
        "Med sidan raderas även %(submissions)s. Bekräfta med ?%(field)s=%(count)d."
    ) % {
        "submissions": how_many(count),
        "field": CONFIRM_FIELD,
        "count": count,
    }
    return problem_response(
        409,
        detail,
        errors=[
            {
                "type": "submissions_not_confirmed",
                "loc": ["query", CONFIRM_FIELD],
                "msg": detail,
                "ctx": {"submissions": count},
            }
        ],
    )


def confirm_submissions(view_func):
    @wraps(view_func)
    def view(request, *args, **kwargs):
        if request.method == "DELETE":
            refusal = unconfirmed_submissions(request, kwargs.get("page_id"))
            if refusal is not None:
                return refusal
        return view_func(request, *args, **kwargs)

    return view


def delete_operations():
    for router in (pages_router, actions_router):
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if "DELETE" in operation.methods:
                    yield operation


def guard_page_deletion():
    """Ask for the count on every delete of Wagtail's pages router, and say so
    in the OpenAPI document. Runs before ``api.urls`` freezes the routers."""
    # "operation" decorators run after authentication: request.user is the token's.
    pages_router.add_decorator(confirm_submissions, mode="operation")
    for operation in delete_operations():
        operation.description = operation.description or DESCRIPTION
        operation.openapi_extra = {
            **(operation.openapi_extra or {}),
            "parameters": [CONFIRMATION_PARAMETER],
            "responses": RESPONSES,
        }
