from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .models import Intake, Venue


class IntakeCreateView(CreateView):
    def get_initial(self):
        # The programme's edit view links here with ?program=<id>, so the new
        # intake starts out belonging to the programme the editor came from.
        initial = super().get_initial()
        program = self.request.GET.get("program", "")
        if program.isdigit():
            initial["program"] = int(program)
        return initial


class IntakeViewSet(SnippetViewSet):
    model = Intake
    icon = "date"
    menu_label = _("Antagningar")
    # A year's work starts here: a menu item of its own, not under "Snuttar".
    add_to_admin_menu = True
    menu_order = 210
    add_view_class = IntakeCreateView
    list_display = ["__str__", "year", "status_label"]
    list_filter = ["program", "year"]
    ordering = ["program__title", "-year"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    list_display = ["name", "street_address", "town"]


register_snippet(IntakeViewSet)
register_snippet(VenueViewSet)
