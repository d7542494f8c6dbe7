"""Admin views behind the submission lists: export, detail and the status change."""

from functools import wraps

from django import forms
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_list import result_headers
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Q, prefetch_related_objects
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

from wagtail.admin import messages
from wagtail.contrib.forms.views import DeleteSubmissionsView
from wagtail.models import Page

from wagtail_modeladmin.views import IndexView, InspectView, InstanceSpecificView

from .exports import defuse_formula
from .inbox import (
    SINCE_LAST_VISIT,
    SINCE_LAST_VISIT_PARAM,
    SinceLastVisitFilter,
    cell_text,
    inbox_visit_key,
    previous_visit,
    words_html,
)
from .models import InboxVisit, InterestSubmission
from .models.submissions import reference_from
from .permissions import may
from .review import review_context
from .status import change_status


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


class SubmissionIndexView(IndexView):
    """The list, whose CSV and XLSX export is the filtered and searched list."""

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
        context = super().get_context_data(**kwargs)
        rows = self.inbox_rows(context["object_list"])
        context.update(
            inbox_headers=list(result_headers(self)),
            inbox_rows=rows,
            filter_menus=self.filter_menus(),
            since_last_visit=self.since_last_visit(),
            bulk_url=self.model_admin.url_helper.get_action_url("bulk"),
            bulk_statuses=self.model_admin.bulk_statuses(self.request.user),
        )
        return context

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

    def since_last_visit(self):
        """The saved filter's link, whether it is on, and how many it shows."""
        active = self.params.get(SINCE_LAST_VISIT_PARAM) == SINCE_LAST_VISIT
        since = previous_visit(self.request.user, self.model)
        new = self.get_base_queryset()
        if since:
            new = new.filter(submit_time__gt=since)
        return {
            "active": active,
            "since": since,
            "count": new.count(),
            "url": self.get_query_string(
                {SINCE_LAST_VISIT_PARAM: SINCE_LAST_VISIT}, [self.PAGE_VAR]
            ),
            "off_url": self.get_query_string({}, [SINCE_LAST_VISIT_PARAM]),
        }

    def inbox_rows(self, object_list):
        """The page's submissions as rows of cells, each cell whole words."""
        rows = []
        for obj in object_list:
            obj.page = self.form_page(obj.page)
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

    def form_page(self, page):
        """Each form page once per export, specific and with its fields, so the
        answers column costs no queries per row."""
        if page.pk not in self.form_pages:
            specific = page.specific
            prefetch_related_objects([specific], "form_fields")
            self.form_pages[page.pk] = specific
        return self.form_pages[page.pk]

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

    def to_row_dict(self, item):
        item.page = self.form_page(item.page)
        row = super().to_row_dict(item)
        empty = self.model_admin.get_empty_value_display()
        return {field: "" if value == empty else value for field, value in row.items()}


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Ny status"), choices=InterestSubmission.Status.choices
    )


class SubmissionInspectView(InspectView):
    """The detail of one submission: its columns, its answers and its status."""

    def get_field_label(self, field_name, field=None):
        if field_name == "page":
            return _("Formulär")
        return capfirst(super().get_field_label(field_name, field))

    def get_field_display_value(self, field_name, field=None):
        if field_name == "delivery_attempts":
            return self.instance.delivery_attempts
        if field_name == "page":
            return self.instance.page.title
        if field_name == "status_changed_by" and self.instance.status_changed_by:
            user = self.instance.status_changed_by
            return user.get_full_name() or user.get_username()
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["answers"] = self.instance.answers()
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
