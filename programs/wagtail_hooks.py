from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .models import Intake, ProgramIndexPage, ProgramPage, Venue
from .page_permissions import SiteDeletePageAction, SiteMovePageAction
from .views import RolloverView, may_roll_over

RICH_TEXT_NAMES_JS = "programs/admin/rich_text_names.js"


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


@hooks.register("construct_snippet_action_menu")
def publish_intakes_by_default(menu_items, request, context):
    """An intake is worth nothing as a draft: readers see it only once published,
    so "Publicera" is the intake editor's main button and "Spara utkast" goes
    into the menu beside it (Wagtail puts saving first)."""
    if context.get("model") is not Intake:
        return
    publish = [item for item in menu_items if item.name == "action-publish"]
    for item in publish:
        menu_items.remove(item)
    menu_items[:0] = publish


class RolloverMenuItem(PageMenuItem):
    """ "Ny antagning" in the page's header menu and its row in the explorer."""

    label = _("Ny antagning")
    icon_name = "date"
    url_name = "programs_rollover"
    priority = 25

    def is_shown(self, user):
        page_class = self.page.specific_class
        return (
            bool(page_class)
            and issubclass(page_class, ROLLOVER_PAGES)
            and (may_roll_over(user))
        )


ROLLOVER_PAGES = (ProgramIndexPage, ProgramPage)


@hooks.register("register_admin_urls")
def rollover_urls():
    return [
        path(
            "program/<int:page_id>/ny-antagning/",
            RolloverView.as_view(),
            name="programs_rollover",
        )
    ]


@hooks.register("register_page_header_buttons")
def rollover_header_button(page, user, view_name, next_url=None):
    yield RolloverMenuItem(page=page)


@hooks.register("register_page_listing_more_buttons")
def rollover_listing_button(page, user, next_url=None):
    yield RolloverMenuItem(page=page)


@hooks.register("insert_editor_js")
def name_rich_text_editors():
    """A script that gives each rich-text editor its field's label as its name
    (Wagtail's Draftail leaves the editable area unnamed: axe's
    aria-input-field-name)."""
    return format_html('<script src="{}"></script>', static(RICH_TEXT_NAMES_JS))


@hooks.register("register_actions")
def register_page_actions(registry):
    """The v3 API looks its page actions up here: the ones that explain in Swedish
    why a form page is not deleted or moved (see ``page_permissions``)."""
    registry.register(Page, SiteDeletePageAction)
    registry.register(Page, SiteMovePageAction)
