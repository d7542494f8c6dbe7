"""Actions on the rows a programme manager ticks in an inbox list.

The list is one form: each row's checkbox sends its id, and the button pressed
says what to do. Exporting the selection writes the same file as the list's own
export (same columns, same formula defusing); changing the status records who
and when on every row, as the detail view's status change does.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.admin import messages

from wagtail_modeladmin.views import WMABaseView

from .status import change_status

ACTION_PARAM = "action"
SELECTED_PARAM = "selected"
STATUS_PARAM = "status"
ACTION_STATUS = "status"
EXPORT_ACTIONS = {"export_csv": "csv", "export_xlsx": "xlsx"}
SUBMISSION_ID_MAX = 2**63 - 1


class BulkActionView(WMABaseView):
    """POST only: a status change or an export of the selected submissions."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def back_url(self):
        """Back to the list as it was: its filters travel in the form's ``next``."""
        query = self.request.POST.get("next", "")
        url = self.url_helper.index_url
        return f"{url}?{query.lstrip('?')}" if query else url

    def selected(self):
        ids = [
            int(value)
            for value in self.request.POST.getlist(SELECTED_PARAM)
            if value.isascii() and value.isdecimal() and int(value) <= SUBMISSION_ID_MAX
        ]
        return self.model_admin.get_queryset(self.request).filter(pk__in=ids)

    def post(self, request, *args, **kwargs):
        action = request.POST.get(ACTION_PARAM)
        selected = self.selected()
        if not selected.exists():
            messages.error(request, _("Markera minst en rad först."))
            return redirect(self.back_url)
        if action in EXPORT_ACTIONS:
            return self.export(selected, EXPORT_ACTIONS[action])
        if action == ACTION_STATUS:
            return self.set_status(selected)
        messages.error(request, _("Välj vad som ska göras med de markerade raderna."))
        return redirect(self.back_url)

    def export(self, selected, export_format):
        """The list view's own export, of just these rows."""
        index = self.model_admin.index_view_class(model_admin=self.model_admin)
        index.setup(self.request)
        index.list_export = self.model_admin.get_list_export(self.request)
        return index.as_spreadsheet(selected, export_format)

    def set_status(self, selected):
        statuses = dict(self.model_admin.bulk_statuses(self.request.user))
        status = self.request.POST.get(STATUS_PARAM)
        if not statuses:
            raise PermissionDenied
        if status not in statuses:
            messages.error(self.request, _("Välj en av statusarna i listan."))
            return redirect(self.back_url)
        count = change_status(selected, status, self.request.user)
        messages.success(
            self.request,
            ngettext(
                "%(count)d intresseanmälan har nu status ”%(status)s”.",
                "%(count)d intresseanmälningar har nu status ”%(status)s”.",
                count,
            )
            % {"count": count, "status": statuses[status]},
        )
        return redirect(self.back_url)
