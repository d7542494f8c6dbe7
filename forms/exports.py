"""Spreadsheet exports of submissions, safe to open in Excel or LibreOffice.

What the public typed into a form reaches a programme manager's spreadsheet. A
cell that begins like a formula is run as one when a CSV file is opened
(``=HYPERLINK(...)`` can send the other cells of its row anywhere), so every
export writes such text with a leading apostrophe, which spreadsheets read as
"this is text".
"""

from wagtail.contrib.forms.views import SubmissionsListView

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value):
    """The value, with a leading apostrophe if a spreadsheet would run it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


class SubmissionsExportView(SubmissionsListView):
    """Wagtail's list of one form page's submissions, whose CSV export is defused.

    The XLSX writer already stores answers as text. Headings are the form's field
    labels, which the communicators write, so they are defused in both formats.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return defuse_formula(value)
        return value

    def get_heading(self, queryset, field):
        return defuse_formula(super().get_heading(queryset, field))
