"""Deleting a page deletes every submission of the form pages in its branch.

A submission's foreign key to its form page cascades, so whoever deletes a form
page, or any page above one, deletes what the public sent in. Only a superuser
may delete such a branch (``programs.page_permissions``), and even they only
once they have seen how many submissions go with it and confirmed that number:
in the admin a checkbox carrying the count, in the v3 API
``?confirm_submissions=<count>``. A confirmed count that is no longer true (a
submission came in meanwhile) confirms nothing.
"""

from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import ngettext

from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.contrib.forms.utils import get_form_types
from wagtail.models import Page

CONFIRM_FIELD = "confirm_submissions"


def submission_models():
    """The submission model of every form page type."""
    return {
        content_type.model_class()().get_submission_class()
        for content_type in get_form_types()
    }


def submissions_deleted_with(pages) -> int:
    """How many submissions deleting ``pages`` (and all below them) deletes."""
    pages = list(pages)
    if not pages:
        return 0
    in_branches = reduce(or_, (Q(page__path__startswith=page.path) for page in pages))
    return sum(
        model._default_manager.filter(in_branches).count()
        for model in submission_models()
    )


def is_confirmed(count: int, given) -> bool:
    return count == 0 or str(given or "").strip() == str(count)


def how_many(count: int) -> str:
    """The count as the admin and the API say it: 1 inskickat svar, 2 inskickade."""
    return ngettext("%(count)d inskickat svar", "%(count)d inskickade svar", count) % {
        "count": count
    }


def ask_to_confirm(request, count: int, back: str):
    messages.error(
        request,
        ngettext(
            "Inget raderades: bekräfta att %(count)d inskickat svar raderas med sidan.",
            "Inget raderades: bekräfta att de %(count)d inskickade svaren raderas "
            "med sidan.",
            count,
        )
        % {"count": count},
    )
    return redirect(back)


def confirm_deleting_a_page(request, page):
    """``before_delete_page``: the confirmation page shows the count (the
    template ``wagtailadmin/pages/confirm_delete.html``); a post goes on only
    with it confirmed."""
    if request.method != "POST":
        return None
    count = submissions_deleted_with([page])
    if is_confirmed(count, request.POST.get(CONFIRM_FIELD)):
        return None
    next_url = get_valid_next_url_from_request(request)  # posted with the form
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return ask_to_confirm(request, count, request.path + query)


def confirm_deleting_pages_in_bulk(request, action_type, objects, action):
    """``before_bulk_action``: the same for the pages deleted in bulk."""
    if action_type != "delete":
        return None
    count = submissions_deleted_with(obj for obj in objects if isinstance(obj, Page))
    if is_confirmed(count, request.POST.get(CONFIRM_FIELD)):
        return None
    return ask_to_confirm(request, count, request.get_full_path())
