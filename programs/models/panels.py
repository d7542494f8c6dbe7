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
            intakes = (
                list(page.intakes.order_by("year").with_sessions()) if page.pk else []
            )
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
            context["rollover_url"] = (
                reverse("programs_rollover", args=[page.pk]) if page.pk else None
            )
            return context


class ThemeListPanel(Panel):
    """Says that the themes are the programme's sub-pages, and links to them.

    An editor looking for the themes in the programme's form would not find
    them: each is a page of its own under the programme, read in tree order.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "programs/admin/theme_list_panel.html"

        def get_context_data(self, parent_context=None):
            from .pages import ThemePage

            context = super().get_context_data(parent_context)
            page = self.instance
            if not page.pk:
                return context
            themes = ThemePage.objects.child_of(page).order_by("path")
            context["themes"] = [
                (theme, reverse("wagtailadmin_pages:edit", args=[theme.pk]))
                for theme in themes
            ]
            context["add_url"] = reverse(
                "wagtailadmin_pages:add", args=["programs", "themepage", page.pk]
            )
            context["explore_url"] = reverse("wagtailadmin_explore", args=[page.pk])
            return context
