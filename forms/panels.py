"""Panels of the form pages' edit view that guard personal data."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.forms.panels import FormSubmissionsPanel

from .permissions import may, permission


class SubmissionsPanel(FormSubmissionsPanel):
    """Wagtail's count, latest date and link to a form's submissions, shown only
    to people who may read them: the communicators edit the page, not the data."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        def is_shown(self):
            submissions = self.panel.model().get_submission_class()
            return may(self.request.user, "view", submissions) and super().is_shown()


def email_panel(submission_model):
    """The e-mail settings. Only people who may read the form's submissions see or
    set the recipients: the notification carries every answer, so an editor who
    could add an address would read what the inbox keeps from them."""
    return MultiFieldPanel(
        [
            FieldRowPanel(
                [
                    FieldPanel("from_address"),
                    FieldPanel(
                        "to_address", permission=permission(submission_model, "view")
                    ),
                ]
            ),
            FieldPanel("subject"),
        ],
        heading=_("E-post"),
    )
