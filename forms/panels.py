"""Panels of the form pages' edit view that guard personal data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
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


class InterestWindowPanel(Panel):
    """Where the interest form's opening times come from: its year's intakes.

    The form has no dates of its own; this says what the published intakes make
    of it now, and links to each intake (drafts included) to change them.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/interest_window_panel.html"

        def get_context_data(self, parent_context=None):
            from programs.models import Intake

            context = super().get_context_data(parent_context)
            page = self.instance
            year = page.intake_year
            intakes = (
                Intake.objects.filter(year=year).select_related("program")
                if year
                else Intake.objects.none()
            )
            context["year"] = year
            context["intakes"] = [
                (
                    intake,
                    reverse("wagtailsnippets_programs_intake:edit", args=[intake.pk]),
                )
                for intake in intakes.order_by("program__path")
            ]
            state = page.window_state() if year else None
            context["state"] = state
            context["message"] = page.window_message(state) if state else ""
            return context
