"""The person's XLSX exports of an inbox list, and the download of each.

An export is built by the task worker (forms.background_exports); this page
lists the signed-in person's exports of one list, refreshes itself while one is
still being built, and links each finished file. Nobody downloads anyone else's
export, nor their own once they may no longer view the list.
"""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from wagtail_modeladmin.views import WMABaseView

from .models import SpreadsheetExport

# Exports listed (the newest); older ones wait for the purge.
LISTED = 20
# Seconds between reloads of the page while an export is being built.
REFRESH_SECONDS = 5


class PersonalExportsMixin:
    """Who may see exports: those who may view the list, each their own."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_list(user)

    def own_exports(self):
        return SpreadsheetExport.objects.filter(
            created_by=self.request.user, path=self.index_url
        )


class ExportListView(PersonalExportsMixin, WMABaseView):
    template_name = "forms/admin/exports.html"
    page_title = _("Exporter")

    def get_page_subtitle(self):
        return self.model_admin.get_menu_label()

    @property
    def download_url_name(self):
        return self.url_helper.get_action_url_name("export_download")

    def get_context_data(self, **kwargs):
        exports = list(self.own_exports()[:LISTED])
        pending = any(
            export.state == SpreadsheetExport.State.PENDING for export in exports
        )
        return super().get_context_data(
            exports=exports,
            refresh_seconds=REFRESH_SECONDS if pending else None,
            **kwargs,
        )


class ExportDownloadView(PersonalExportsMixin, WMABaseView):
    http_method_names = ["get", "head"]

    def get(self, request, export_pk):
        export = (
            self.own_exports()
            .filter(pk=export_pk, state=SpreadsheetExport.State.READY)
            .first()
        )
        if export is None or not export.file:
            raise Http404
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=PurePosixPath(export.file.name).name,
        )
