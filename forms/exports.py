"""Spreadsheet exports of submissions, safe to open in Excel or LibreOffice.

What the public typed into a form reaches a programme manager's spreadsheet. A
cell that begins like a formula is run as one when a CSV file is opened
(``=HYPERLINK(...)`` can send the other cells of its row anywhere), so every
export writes such text with a leading apostrophe, which spreadsheets read as
"this is text".

The CSV files are written for Swedish Excel, whose list separator is the
semicolon: UTF-8 with a byte order mark (without it Excel reads "Åsa" as
"Ã…sa") and ``;`` between cells, unless the link asks for commas
(``?avgransare=komma``) for another program.

Whether a CSV download is whole is said outside its rows, where Excel never
shows it as data: the response header ``X-Export-Row-Count`` and the file name
(``…-120-rader.csv``) give the number of rows the file holds. The export is
fixed at the moment it starts (rows sent later are left for the next one), so
a file with fewer rows than its name says was cut short; a browser also marks
a streamed download that broke off as failed. A ``sep=;`` first line was not
chosen: Excel reads it but then ignores the byte order mark, and every other
program shows it as a row.
"""

import csv

from wagtail.admin.views.mixins import Echo
from wagtail.contrib.forms.views import SubmissionsListView

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

BOM = "\ufeff"
DELIMITER_PARAM = "avgransare"
SEMICOLON = "semikolon"
COMMA = "komma"
DELIMITERS = {SEMICOLON: ";", COMMA: ","}
ROW_COUNT_HEADER = "X-Export-Row-Count"


def csv_delimiter(request) -> str:
    """The separator the export link asks for; a semicolon unless it says comma."""
    choice = request.GET.get(DELIMITER_PARAM) or request.POST.get(DELIMITER_PARAM)
    return DELIMITERS.get(choice, DELIMITERS[SEMICOLON])


def csv_writer(buffer, request):
    return csv.writer(buffer, delimiter=csv_delimiter(request))


def counted_filename(base, count):
    return f"{base}-{count}-rader.csv"


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

    def stream_csv(self, queryset):
        """Wagtail's CSV, for Swedish Excel as the inbox's is (BOM, semicolons)."""
        writer = csv.DictWriter(
            Echo(), fieldnames=self.list_export, delimiter=csv_delimiter(self.request)
        )
        headings = {
            field: self.get_heading(queryset, field) for field in self.list_export
        }
        yield BOM.encode() + writer.writerow(headings)
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))
