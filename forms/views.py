"""Admin views behind the submission lists: export, detail and the status change."""

import io
import tempfile
from functools import wraps
from itertools import islice
from operator import attrgetter

from django import forms
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_list import result_headers
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.files import File
from django.core.paginator import InvalidPage
from django.db.models import Q, prefetch_related_objects
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

from wagtail.admin import messages
from wagtail.contrib.forms.views import DeleteSubmissionsView
from wagtail.models import Page

from wagtail_modeladmin.views import IndexView, InspectView, InstanceSpecificView

from . import tally
from .answer_columns import AnswerColumns
from .background_exports import queue_export
from .exports import (
    BOM,
    COMMA,
    DELIMITER_PARAM,
    FORMULA_PREFIXES,
    ROW_COUNT_HEADER,
    counted_filename,
    csv_writer,
    defuse_formula,
)
from .inbox import (
    SINCE_LAST_VISIT,
    SINCE_LAST_VISIT_PARAM,
    SinceLastVisitFilter,
    cell_text,
    inbox_visit_key,
    previous_visit,
    words_html,
)
from .models import InboxVisit, InterestSubmission, Verification
from .models.submissions import reference_from
from .permissions import may
from .review import review_context
from .status import change_status

# What the whole inbox leaves out (forms.review.VerificationFilter).
IN_INBOX_ONLY = {"verification": Verification.UNVERIFIED}


def permitted_or_forbidden(view):
    """Answers a refused request with a plain 403 instead of Wagtail's redirect.

    Wagtail turns a PermissionDenied into a redirect to the admin home; for the
    submission views a clear 403 is what the contract promises and what tests and
    audits can check without following redirects.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return defaults.permission_denied(request, exc)

    return wrapped


# Rows read from the database at a time by an export (and their programmes
# prefetched per chunk), and rows written to the CSV stream at a time.
EXPORT_CHUNK = 1000
CSV_BLOCK = 500


class SubmissionIndexView(IndexView):
    """The list, whose CSV and XLSX export is the filtered and searched list.

    The CSV file is streamed from the database in chunks; the XLSX workbook is
    built by the task worker (forms.background_exports), because a large one
    takes longer than a request may.
    """

    _filtered = None
    # The CSV separator is the export's choice, not a filter.
    IGNORED_PARAMS = (*IndexView.IGNORED_PARAMS, DELIMITER_PARAM)
    export_buttons_template_name = "forms/admin/export_buttons.html"

    def get_queryset(self, request=None):
        """The filtered list, built once per request.

        modeladmin builds it in ``dispatch`` and again for the page's context,
        which ran each filter's own queries (the programme choices) twice.
        """
        if self._filtered is None:
            self._filtered = super().get_queryset(request)
        return self._filtered

    def inbox_queryset(self):
        """The whole inbox, as the list without a filter shows it: the
        submissions waiting for review are not in it."""
        return self.get_base_queryset().exclude(**IN_INBOX_ONLY)

    def tally_query(self):
        """What of the database's tallies this list is, or ``None``; worked
        out once per request."""
        if not hasattr(self, "_tally_query"):
            self._tally_query = self.model_admin.tally_query(
                self.get_filters_params(), self.query
            )
        return self._tally_query

    def counted_context(self, **kwargs):
        """modeladmin's context with each count run once: the paginator is given
        the filtered count, which without a filter or search is the total too."""
        queryset = self.get_queryset()
        counted = self.tally_query()
        result_count = queryset.count() if counted is None else tally.total(counted)
        narrowed = bool(self.query or self.get_filters_params())
        # The whole inbox is the list with no filter: the tallies hold it
        # whenever they hold any list of this model.
        whole = self.model_admin.tally_query({}, "")
        if not narrowed:
            all_count = result_count
        elif whole is not None:
            all_count = tally.total(whole)
        else:
            all_count = self.inbox_queryset().count()
        paginator = self.paginator_class(queryset, self.items_per_page)
        paginator.count = result_count
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        context = {
            "view": self,
            "all_count": all_count,
            "result_count": result_count,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(
                self.request.user
            ),
            "show_search": self.search_handler.show_search_form,
            **kwargs,
        }
        # Past IndexView's own, which would count everything again.
        return super(IndexView, self).get_context_data(**context)

    def get_filters(self, request):
        """Only the declared filters, search, ordering and paging reach the query.

        modeladmin applies every other query-string parameter as a lookup, so a
        hand-made link could filter on relations to the user table
        (``status_changed_by__password__regex=…``) and read a password hash one
        character at a time. A parameter no declared filter takes is refused
        with a 400, as Django's own admin does, whether or not it names a field.
        """
        try:
            specs, has_filters, remaining, use_distinct = super().get_filters(request)
        except IncorrectLookupParameters as error:
            if isinstance(error.__cause__, FieldDoesNotExist):
                raise DisallowedModelAdminLookup("Unknown filter") from error
            raise
        if remaining:
            raise DisallowedModelAdminLookup(f"Filter not allowed: {sorted(remaining)}")
        return specs, has_filters, remaining, use_distinct

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.permission_helper.user_can_list(
            request.user
        ):
            InboxVisit.record(request.user, inbox_visit_key(self.model))
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            # A hand-edited or outdated link: show the whole list, not a 500.
            messages.error(request, _("Filtret i länken kunde inte användas."))
            return redirect(self.index_url)

    def get_search_results(self, request, queryset, search_term):
        """A quoted reference finds its submission however it was written: any
        case, with or without its hyphen or spaces."""
        found = super().get_search_results(request, queryset, search_term)
        reference = reference_from(search_term)
        if not reference:
            return found
        # "Strandberg" could be a reference too: the name search still counts.
        return queryset.filter(Q(pk__in=found.values("pk")) | Q(reference=reference))

    def get_context_data(self, **kwargs):
        context = self.counted_context(**kwargs)
        objects = list(context["object_list"])
        self.model_admin.prepare_list_rows(objects)
        rows = self.inbox_rows(objects)
        context.update(
            inbox_counts=self.model_admin.list_counts(
                self.get_queryset(), self.tally_query()
            ),
            manual_entry_url=self.manual_entry_url(),
            inbox_headers=list(result_headers(self)),
            inbox_rows=rows,
            filter_menus=self.filter_menus(),
            since_last_visit=self.since_last_visit(context["all_count"]),
            bulk_url=self.model_admin.url_helper.get_action_url("bulk"),
            bulk_statuses=self.model_admin.bulk_statuses(self.request.user),
            **self.model_admin.index_summary(self.request),
        )
        return context

    def manual_entry_url(self):
        """The form for a registration by phone or letter, for who may add one."""
        if not may(self.request.user, "change", self.model):
            return None
        name = self.url_helper.get_action_url_name("manuell")
        try:
            return reverse(name)
        except NoReverseMatch:
            return None

    def filter_menus(self):
        """Each declared filter as a title, its current choice and its links."""
        menus = []
        for spec in self.filter_specs:
            if isinstance(spec, SinceLastVisitFilter):
                continue
            choices = list(spec.choices(self))
            current = next((c for c in choices if c["selected"]), choices[0])
            menus.append(
                {"title": spec.title, "current": current["display"], "choices": choices}
            )
        return menus

    def since_last_visit(self, all_count):
        """The saved filter's link, whether it is on, and how many it shows.

        Before a first visit everything is new: ``all_count``, not counted again.
        """
        active = self.params.get(SINCE_LAST_VISIT_PARAM) == SINCE_LAST_VISIT
        since = previous_visit(self.request.user, self.model)
        count = all_count
        if since:
            count = self.inbox_queryset().filter(submit_time__gt=since).count()
        return {
            "active": active,
            "since": since,
            "count": count,
            "url": self.get_query_string(
                {SINCE_LAST_VISIT_PARAM: SINCE_LAST_VISIT}, [self.PAGE_VAR]
            ),
            "off_url": self.get_query_string({}, [SINCE_LAST_VISIT_PARAM]),
        }

    def inbox_rows(self, object_list):
        """The page's submissions as rows of cells, each cell whole words."""
        rows = []
        for obj in object_list:
            obj.page = self.form_page(obj.page_id)
            rows.append(
                {
                    "pk": obj.pk,
                    "label": str(obj),
                    "url": self.url_helper.get_action_url("inspect", obj.pk),
                    "cells": [
                        (field, self.cell_html(obj, field))
                        for field in self.list_display
                    ],
                }
            )
        return rows

    def cell_html(self, obj, field_name):
        render = self.model_admin.cell_renderers().get(field_name)
        if render:
            return render(obj)
        return words_html(cell_text(self, obj, field_name))

    @cached_property
    def form_pages(self):
        return {}

    def form_page(self, page_id):
        """Each form page once per export, specific and with its fields, so the
        answers column costs no queries per row."""
        if page_id not in self.form_pages:
            specific = Page.objects.get(pk=page_id).specific
            prefetch_related_objects([specific], "form_fields")
            self.form_pages[page_id] = specific
        return self.form_pages[page_id]

    @property
    def export_headings(self):
        return self.model_admin.export_headings

    def get_filename(self):
        return self.model_admin.get_export_filename()

    def preprocess_field_value(self, field, value, export_format):
        """Defuses answers a spreadsheet would run as a formula (CSV injection).

        The XLSX writer already stores such text as text; in a CSV file only a
        leading apostrophe keeps Excel from evaluating what the public typed.
        """
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return defuse_formula(value)
        return value

    @cached_property
    def export_columns(self):
        """How each exported column reads a row, worked out once per export: a
        choice's label from a map translated once, not per cell."""
        return [export_column(self.model_admin, field) for field in self.list_export]

    @cached_property
    def answer_columns(self):
        """The answers' columns: the fields of every form page this inbox has
        submissions for (filtered or not, so that one inbox always exports the
        same columns), pages in tree order."""
        page_ids = (
            self.model._default_manager.order_by()
            .values_list("page_id", flat=True)
            .distinct()
        )
        pages = [self.form_page(page_id) for page_id in page_ids]
        return AnswerColumns(sorted(pages, key=attrgetter("path")))

    @cached_property
    def page_fields(self):
        return {}

    def fields_of(self, page_id):
        """A form page's fields, looked up once per export: setting ``item.page``
        and asking the page per row cost more than the row's own columns."""
        if page_id not in self.page_fields:
            self.page_fields[page_id] = self.form_page(page_id).get_form_fields()
        return self.page_fields[page_id]

    def to_row_dict(self, item):
        """The inbox's own columns, then every answer (``answer_columns``)."""
        row = {
            field: "" if (value := read(item)) is None else value
            for field, read in zip(self.list_export, self.export_columns, strict=True)
        }
        answers = self.answer_columns.cells(item, self.fields_of(item.page_id))
        row.update((f"answer:{index}", text) for index, text in enumerate(answers))
        return row

    def export_rows(self, queryset):
        """The rows from the database a chunk at a time, with what each chunk
        needs read in one go (``prepare_export_rows``); the form page comes
        from ``form_page``, not a join."""
        queryset = queryset.select_related(None).prefetch_related(None)
        if self.model_admin.export_defer:
            queryset = queryset.defer(*self.model_admin.export_defer)
        rows = queryset.iterator(chunk_size=EXPORT_CHUNK)
        while chunk := list(islice(rows, EXPORT_CHUNK)):
            self.model_admin.prepare_export_rows(chunk)
            yield from chunk

    def headings(self, queryset):
        own = [self.get_heading(queryset, field) for field in self.list_export]
        return [*own, *self.answer_columns.headings(taken=own)]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if spreadsheet_format == self.FORMAT_CSV:
            return self.write_csv_response(queryset)
        export = getattr(self.request, "spreadsheet_export", None)
        if export is None:
            return self.queue_xlsx()
        return self.write_export_file(queryset, export)

    @property
    def csv_comma_export_url(self):
        return self.get_query_string(
            {self.EXPORT_VAR: self.FORMAT_CSV, DELIMITER_PARAM: COMMA}, [self.PAGE_VAR]
        )

    def write_csv_response(self, queryset):
        """The rows sent until now, streamed; how many, in a header and the
        file's name (see forms.exports), never as a row of the file."""
        queryset = queryset.filter(submit_time__lte=timezone.now())
        count = queryset.count()
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        filename = counted_filename(self.get_filename(), count)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response[ROW_COUNT_HEADER] = str(count)
        return response

    def stream_csv(self, queryset):
        """The CSV file in blocks of rows, after the mark that makes Excel read
        it as UTF-8."""
        buffer = io.StringIO()
        buffer.write(BOM)
        writer = csv_writer(buffer, self.request)
        writer.writerow(self.headings(queryset))
        for count, item in enumerate(self.export_rows(queryset), start=1):
            writer.writerow(csv_cells(self.to_row_dict(item).values()))
            if count % CSV_BLOCK == 0:
                yield drained(buffer)
        yield drained(buffer)

    def write_xlsx(self, queryset, output):
        """The workbook row by row (openpyxl's write-only mode); its row count."""
        from wagtail.admin.views.mixins import ExcelDateFormatter

        from openpyxl import Workbook

        workbook = Workbook(write_only=True, iso_dates=True)
        sheet = workbook.create_sheet(title=self.get_filename()[:31])
        sheet.append(self.headings(queryset))
        date_format = ExcelDateFormatter().get()
        count = 0
        for item in self.export_rows(queryset):
            sheet.append(
                self.generate_xlsx_row(sheet, self.to_row_dict(item), date_format)
            )
            count += 1
        workbook.save(output)
        return count

    def write_export_file(self, queryset, export):
        """In the task worker: the workbook into the export's private file."""
        with tempfile.TemporaryFile() as output:
            export.row_count = self.write_xlsx(queryset, output)
            output.seek(0)
            export.file.save(f"{self.get_filename()}.xlsx", File(output), save=False)
        return HttpResponse(str(export.row_count), content_type="text/plain")

    @cached_property
    def exports_url(self):
        return self.url_helper.get_action_url("exports")

    def queue_xlsx(self):
        queue_export(self.request)
        exports_url = self.exports_url
        messages.success(
            self.request,
            _(
                "Excel-filen skapas. Länken att ladda ner den visas under "
                "Exporter när den är klar."
            ),
            buttons=[messages.button(exports_url, _("Visa exporter"))],
        )
        return redirect(exports_url)


def export_column(model_admin, field):
    """A function reading one exported column's value from a submission."""
    choice_field = model_admin.export_choice_labels.get(field)
    if choice_field:
        field_object = model_admin.model._meta.get_field(choice_field)
        labels = {value: str(label) for value, label in field_object.flatchoices}
        read_value = attrgetter(choice_field)
        return lambda item: labels.get(read_value(item), read_value(item))
    method = getattr(model_admin, field, None)
    if callable(method):
        return method
    return attrgetter(field)


def csv_cells(values):
    """Cells as a spreadsheet should read them: no formula from what was typed."""
    # defuse_formula inlined: this runs for every cell of every row.
    return [
        f"'{value}"
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
        else value
        for value in values
    ]


def drained(buffer):
    """What ``buffer`` holds, leaving it empty for the next block."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


# "Antagen" and "Reserv" take or wait for one of an intake's places: they are
# decided per programme (forms.admission_views), where the places are counted.
PER_INTAKE_STATUSES = (
    InterestSubmission.Status.ACCEPTED,
    InterestSubmission.Status.RESERVE,
)
GENERAL_STATUSES = [
    (value, label)
    for value, label in InterestSubmission.Status.choices
    if value not in PER_INTAKE_STATUSES
]


class StatusForm(forms.Form):
    # A blank first choice: an admitted registration's form must not offer
    # "Ny" as if it were its status.
    status = forms.ChoiceField(
        label=gettext_lazy("Ny status"),
        choices=[("", gettext_lazy("Välj status")), *GENERAL_STATUSES],
    )


class SubmissionInspectView(InspectView):
    """The detail of one submission: its columns, its answers and its status."""

    # modeladmin composes "Inspecting <name>", which Wagtail's sv glues into
    # one word ("Inspekterarintresseanmälan").
    page_title = gettext_lazy("Visa")

    def get_meta_title(self):
        return _("Visa %(object)s") % {"object": self.verbose_name}

    def get_field_label(self, field_name, field=None):
        if field_name == "page":
            return _("Formulär")
        return capfirst(super().get_field_label(field_name, field))

    def get_field_display_value(self, field_name, field=None):
        if field_name == "delivery_attempts":
            return self.instance.delivery_attempts
        if field_name == "page":
            return self.instance.form_title
        if field_name == "status_changed_by" and self.instance.status_changed_by:
            user = self.instance.status_changed_by
            return user.get_full_name() or user.get_username()
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["answers"] = self.instance.answers()
        context.update(self.model_admin.inspect_context(self.request, self.instance))
        if may(self.request.user, "change", self.model):
            context["correct_url"] = self.url_helper.get_action_url(
                "correct", self.pk_quoted
            )
        context.update(review_context(self.request, self.model_admin, self.instance))
        helper = self.permission_helper
        can_change = getattr(helper, "user_can_change_status", None)
        if can_change and can_change(self.request.user, self.instance):
            context["status_form"] = StatusForm(
                initial={"status": self.instance.status}
            )
            context["status_url"] = self.url_helper.get_action_url(
                "status", self.pk_quoted
            )
        context.update(self.model_admin.inspect_summary(self.request, self.instance))
        return context


class ChangeStatusView(InstanceSpecificView):
    """Sets a registration's status and records who changed it and when."""

    http_method_names = ["get", "post"]

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_change_status(user, self.instance)

    @property
    def inspect_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def get(self, request, *args, **kwargs):
        return redirect(self.inspect_url)

    def post(self, request, *args, **kwargs):
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Välj en av statusarna i listan."))
            return redirect(self.inspect_url)
        submission = self.instance
        change_status(
            type(submission).objects.filter(pk=submission.pk),
            form.cleaned_data["status"],
            request.user,
        )
        submission.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("Statusen för %(who)s är nu ”%(status)s”.")
            % {"who": submission, "status": submission.get_status_display()},
        )
        return redirect(self.inspect_url)


class GuardedDeleteSubmissionsView(DeleteSubmissionsView):
    """Wagtail's "delete submissions", for those who may delete them.

    Wagtail lets anyone who may list a form's submissions delete them, and the
    list is open to those who may view them; deleting asks for more.
    """

    def dispatch(self, request, *args, **kwargs):
        page = Page.objects.filter(pk=kwargs["page_id"]).specific().first()
        submissions = getattr(page, "get_submission_class", None)
        if submissions is None or not may(request.user, "delete", submissions()):
            return defaults.permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)
