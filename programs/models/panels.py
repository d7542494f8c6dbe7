from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel


class IntakeListPanel(Panel):
    """The programme's intakes in its edit view, each linked to its own editor.

    Intakes are snippets (their sessions need an inline of their own), so the
    programme lists them here instead of editing them inline.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "programs/admin/intake_list_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            intakes = list(page.intake_list) if page.pk else []
            context["intakes"] = [
                (
                    intake,
                    reverse("wagtailsnippets_programs_intake:edit", args=[intake.pk]),
                )
                for intake in intakes
            ]
            add_url = reverse("wagtailsnippets_programs_intake:add")
            context["add_url"] = f"{add_url}?program={page.pk}" if page.pk else None
            context["empty_text"] = _("Programmet har inga antagningar ännu.")
            return context
