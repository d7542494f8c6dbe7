"""Who may delete or move a page: Wagtail's rules, with the form pages kept in place.

Wagtail lets whoever may change a page (and publish it, if it is live) delete it,
and treats a move as a delete and an add. A form page holds what the public sent:
the submissions' foreign key cascades, so deleting the form page, or any page
above it, deletes every submission with it, and moving it breaks every link to
the form. So a branch that holds a form page is deleted or moved by a superuser
only; everyone else still edits, publishes, unpublishes, copies and reorders it.

Every page type of the site returns this tester from ``permissions_for_user``:
the admin's views and buttons, the bulk actions and Wagtail's page actions (which
the v3 API calls) all ask it, so they cannot disagree. Form pages are the form
builder's page types (``FormMixin``), so this app needs to know nothing of the
forms the site has; it lives here, in the app every page type builds on.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.actions import DeletePageAction, MovePageAction
from wagtail.actions.delete_page import DeletePagePermissionError
from wagtail.actions.move_page import MovePagePermissionError
from wagtail.contrib.forms.models import FormMixin
from wagtail.models import Page, PagePermissionTester, get_page_models

DELETE_REFUSAL = _(
    "Formulärsidor, och sidor med en formulärsida under sig, raderas bara av en "
    "superanvändare: med formulären raderas alla inskickade svar."
)
MOVE_REFUSAL = _(
    "Formulärsidor, och sidor med en formulärsida under sig, flyttas bara av en "
    "superanvändare."
)


def form_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if issubclass(model, FormMixin)]


def holds_form_page(page: Page) -> bool:
    """Whether ``page`` is a form page or has one anywhere below it."""
    if issubclass(page.specific_class or Page, FormMixin):
        return True
    if page.is_leaf():
        return False
    return Page.objects.descendant_of(page).type(*form_page_models()).exists()


class SitePagePermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        # Wagtail's own can_move asks this one too (ignore_bulk=True).
        if not super().can_delete(ignore_bulk):
            return False
        return self.user.is_superuser or not holds_form_page(self.page)

    def can_move_to(self, destination):
        if self.page.is_child_of(destination):
            # Reordering among the same siblings takes nothing out of its branch.
            return PagePermissionTester(self.user, self.page).can_move_to(destination)
        return super().can_move_to(destination)


class SitePagePermissionsMixin:
    """For every page type of the site: see the module's docstring."""

    def permissions_for_user(self, user):
        return SitePagePermissionTester(user, self)


class FormPageDeleteRefused(DeletePagePermissionError):
    """Raised with this site's (Swedish) reason, which an API may show."""


class FormPageMoveRefused(MovePagePermissionError):
    """Raised with this site's (Swedish) reason, which an API may show."""


CHILD_POSITIONS = ("first-child", "last-child", "sorted-child")


class SiteDeletePageAction(DeletePageAction):
    """Wagtail's delete action, saying in Swedish why a form page stays."""

    def check(self, skip_permission_checks=False):
        try:
            super().check(skip_permission_checks)
        except DeletePagePermissionError:
            if holds_form_page(self.page):
                raise FormPageDeleteRefused(DELETE_REFUSAL) from None
            raise


class SiteMovePageAction(MovePageAction):
    """Wagtail's move action, saying in Swedish why a form page stays, and
    refusing the one place in the tree that does not exist: beside the root.
    (The admin only offers real parents; the v3 API passes a client's ids
    straight here, and Wagtail's checks fail on a page with no parent.)"""

    def execute(self, skip_permission_checks=False):
        if self.pos not in CHILD_POSITIONS and self.target.is_root():
            raise ValidationError(
                _(
                    "Ingen sida kan ligga bredvid rotsidan: ange position "
                    "first-child eller last-child för att flytta sidan under den."
                ),
                code="beside_root",
            )
        return super().execute(skip_permission_checks=skip_permission_checks)

    def check(self, parent_after, skip_permission_checks=False):
        try:
            super().check(parent_after, skip_permission_checks)
        except MovePagePermissionError:
            if holds_form_page(self.page) and not self.page.is_child_of(parent_after):
                raise FormPageMoveRefused(MOVE_REFUSAL) from None
            raise
