"""Wagtail's move action, refusing a place in the tree that does not exist.

The admin only ever offers a real parent, but the v3 API passes a client's ids
straight to the action: "next to the root page" leaves the page with no parent,
and Wagtail's own checks then fail with a server error. It is refused here as
invalid input, before any permission check or write, wherever the action is run
from. (Actions on the root page itself are refused by the API, ``api_v3.requests``.)
"""

from django.core.exceptions import ValidationError

from wagtail.actions.move_page import MovePageAction

CHILD_POSITIONS = ("first-child", "last-child", "sorted-child")


class SiteMovePageAction(MovePageAction):
    def execute(self, skip_permission_checks=False):
        if self.pos not in CHILD_POSITIONS and self.target.is_root():
            raise ValidationError(
                "Ingen sida kan ligga bredvid rotsidan: ange position "
                "first-child eller last-child för att flytta sidan under den.",
                code="beside_root",
            )
        return super().execute(skip_permission_checks=skip_permission_checks)


def register(registry) -> None:
    from wagtail.models import Page

    registry.register(Page, SiteMovePageAction)
