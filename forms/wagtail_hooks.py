from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.contrib.forms.utils import get_form_types
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_modeladmin.options import modeladmin_register

from .admin import ContactSubmissionAdmin, InterestSubmissionAdmin
from .admin_forms import apply_recipients
from .correction import register_correction_log_action
from .cycle import ProgrammeYearPanel
from .dashboard import NewRegistrationsPanel
from .data_subject import may_handle_requests
from .data_subject_views import DataSubjectView
from .deletion import confirm_deleting_a_page, confirm_deleting_pages_in_bulk
from .duplicates import register_duplicate_log_actions
from .models import StatusEmailTemplate
from .permissions import may
from .review import register_review_log_actions
from .self_service import register_self_service_log_actions
from .views import GuardedDeleteSubmissionsView
from .weekly_chart import WeeklyRegistrationsPanel
from .year_preview import ProgrammePreviewView
from .year_publish import register_year_publish_log_action
from .year_publish_views import YearPublishView

modeladmin_register(InterestSubmissionAdmin)
modeladmin_register(ContactSubmissionAdmin)

# Deleting a page deletes the submissions of the form pages in its branch: not
# before their count is confirmed.
hooks.register("before_delete_page", confirm_deleting_a_page)
hooks.register("before_bulk_action", confirm_deleting_pages_in_bulk)
hooks.register("register_log_actions", register_review_log_actions)
hooks.register("register_log_actions", register_duplicate_log_actions)
hooks.register("register_log_actions", register_correction_log_action)
hooks.register("register_log_actions", register_self_service_log_actions)
hooks.register("register_log_actions", register_year_publish_log_action)
# Recipients are stored when a person saves, never by an autosave.
hooks.register("after_edit_page", apply_recipients)


@hooks.register("construct_homepage_panels")
def add_new_registrations_panel(request, panels):
    if may(request.user, "view", InterestSubmissionAdmin.model):
        panels.append(NewRegistrationsPanel())
        panels.append(WeeklyRegistrationsPanel())


@hooks.register("construct_homepage_panels")
def add_programme_year_panel(request, panels):
    """For whoever runs the year: editors of intakes and programme managers."""
    user = request.user
    if user.has_perm("programs.change_intake") or may(
        user, "view", InterestSubmissionAdmin.model
    ):
        panels.append(ProgrammeYearPanel())


@hooks.register("filter_form_submissions_for_user")
def hide_submissions_from_page_editors(user, editable_forms):
    """Keeps Wagtail's own submissions view to those who may see personal data.

    Wagtail shows a form page's submissions to anyone who may edit the page, which
    would include the communicators; here it also takes the submission model's
    view permission, the same one the inbox asks for.
    """
    allowed = [
        content_type
        for content_type in get_form_types()
        if may(user, "view", content_type.model_class()().get_submission_class())
    ]
    return editable_forms.filter(content_type__in=allowed)


@hooks.register("register_admin_urls", order=-1)
def guard_deleting_submissions():
    """Comes before Wagtail's own URL for the view, which it replaces."""
    return [
        path(
            "forms/submissions/<int:page_id>/delete/",
            GuardedDeleteSubmissionsView.as_view(),
        )
    ]


@hooks.register("register_admin_urls")
def year_publish_urls():
    return [
        path(
            "ny-antagning/<int:year>/",
            YearPublishView.as_view(),
            name="forms_year_publish",
        ),
        path(
            "ny-antagning/<int:year>/program/<int:page_id>/",
            ProgrammePreviewView.as_view(),
            name="forms_year_programme_preview",
        ),
    ]


@hooks.register("register_admin_urls")
def data_subject_urls():
    return [
        path(
            "registrerades-begaran/",
            DataSubjectView.as_view(),
            name="forms_data_subject",
        )
    ]


class DataSubjectMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle_requests(request.user)


@hooks.register("register_admin_menu_item")
def data_subject_menu_item():
    return DataSubjectMenuItem(
        _("Dataskyddsbegäran"),
        reverse("forms_data_subject"),
        icon_name="user",
        order=252,
    )


class StatusEmailViewSet(SnippetViewSet):
    """The e-mails per status that communicators word; managers choose to send."""

    model = StatusEmailTemplate
    icon = "mail"
    menu_label = _("Statusmejl")
    list_display = ["__str__", "subject"]


register_snippet(StatusEmailViewSet)
