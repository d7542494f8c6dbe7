"""Deleting a page deletes every submission of the form pages in its branch.

A submission's foreign key to its form page cascades, so whoever deletes a form
page, or any page above one, deletes what the public sent in. The communicators
may delete pages but may not see submissions, let alone delete them: a page whose
branch holds submissions is deleted only by someone who may delete those.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.contrib.forms.utils import get_form_types
from wagtail.models import Page, PagePermissionTester

from .permissions import may


def submission_models():
    """The submission model of every form page type."""
    return {
        content_type.model_class()().get_submission_class()
        for content_type in get_form_types()
    }


def holds_undeletable_submissions(user, page):
    """Whether deleting ``page`` would take with it submissions ``user`` may not
    delete: those of the page itself and of every form page below it."""
    return any(
        model._default_manager.filter(page__path__startswith=page.path).exists()
        for model in submission_models()
        if not may(user, "delete", model)
    )


class FormPagePermissionTester(PagePermissionTester):
    """Hides the delete button (and refuses the delete view) on a form page whose
    submissions the user may not delete. Moving, which Wagtail treats as deleting
    and adding, follows."""

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk) and not holds_undeletable_submissions(
            self.user, self.page
        )


def refuse_deleting_submissions(request, pages, next_url=None):
    """The answer to a delete that would take submissions along, else None.

    The message does not say how many there are: the communicators do not see
    even the count of the submissions.
    """
    for page in pages:
        if holds_undeletable_submissions(request.user, page):
            messages.error(
                request,
                _(
                    "Sidan ”%(title)s” kan inte raderas: formulär på sidan eller "
                    "under den har inskickade svar som du inte har behörighet att "
                    "radera."
                )
                % {"title": page.get_admin_display_title()},
            )
            back = next_url or get_valid_next_url_from_request(request)
            return redirect(back or reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


def refuse_deleting_a_page(request, page):
    return refuse_deleting_submissions(request, [page])


def refuse_deleting_pages_in_bulk(request, action_type, objects, action):
    if action_type != "delete":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    return refuse_deleting_submissions(request, pages, next_url=action.next_url)
