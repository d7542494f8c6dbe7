"""The registrations inbox and the contact requests, as wagtail-modeladmin views.

Only people who may *view* a submission model see its list, detail and export;
nobody creates or edits a submission here, and a registration's status is changed
through its own small form so that who and when are always recorded.
"""

from collections import defaultdict

from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.urls import re_path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from programs.models import Intake, ProgramPage

from .admission_views import AdmissionView
from .admissions import capacities, intakes_for
from .bulk import BulkActionView
from .correction import CorrectionView
from .duplicates import flagged, with_duplicates
from .export_views import ExportDownloadView, ExportListView
from .hygiene_views import (
    DismissDuplicateView,
    MergeDuplicateView,
    NoteView,
    hygiene_context,
)
from .inbox import SinceLastVisitFilter, email_html, words_html
from .inbox_counts import programme_status_counts
from .mailing import MailSelectionView
from .manual_entry import ManualEntryView
from .models import ContactSubmission, InterestSubmission, Verification
from .review import (
    UNVERIFIED_VALUE,
    VERIFICATION_PARAM,
    AcceptView,
    DiscardView,
    VerificationFilter,
)
from .tally import TallyQuery
from .views import (
    GENERAL_STATUSES,
    ChangeStatusView,
    SubmissionIndexView,
    SubmissionInspectView,
    permitted_or_forbidden,
)

PROGRAM_PARAM = "program"
# The filter value for registrations that chose no programme.
NO_PROGRAM = "inget"
# Characters of a contact request's message shown in the list.
MESSAGE_PREVIEW_CHARS = 90
PAGE_ID_MAX = 2**31 - 1  # wagtailcore_page.id is a 32-bit integer
YEAR_MAX = 2**15 - 1  # intake_year is a small integer
SUBMISSION_ID_MAX = 2**63 - 1  # submission ids are BigAutoFields


def existing_pk(instance_pk):
    """The id in an instance URL, or a 404 for one no submission can have.

    modeladmin's URLs take any word (``inspect/abc/``), and the database would
    answer a non-number or an overflowing one with a server error.
    """
    if not (instance_pk.isascii() and instance_pk.isdecimal()):
        raise Http404
    if int(instance_pk) > SUBMISSION_ID_MAX:
        raise Http404
    return instance_pk


LINKS = InterestSubmission.programs.through.objects


class IntakeYearFilter(SimpleListFilter):
    """Filters registrations by intake year: every year from the first to the
    last, found by two index lookups rather than reading every row's year."""

    title = _("antagningsår")
    parameter_name = "intake_year"

    def lookups(self, request, model_admin):
        years = InterestSubmission.objects.aggregate(
            first=Min("intake_year"), last=Max("intake_year")
        )
        if years["first"] is None:
            return []
        return [
            (str(year), str(year)) for year in range(years["first"], years["last"] + 1)
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # A hand-edited link: modeladmin shows the whole list with a message.
        if not (value.isascii() and value.isdecimal()):
            raise IncorrectLookupParameters(value)
        year = int(value)
        return (
            queryset.filter(intake_year=year) if year <= YEAR_MAX else queryset.none()
        )


class ProgramFilter(SimpleListFilter):
    """Filters registrations by programme: the live ones, and any unpublished
    programme that still has registrations, so those stay reachable."""

    title = _("program")
    parameter_name = PROGRAM_PARAM

    def lookups(self, request, model_admin):
        # EXISTS, one index probe per programme: joining every link row made
        # this query grow with the registrations.
        links = LINKS.filter(programpage_id=OuterRef("pk"))
        programs = (
            ProgramPage.objects.filter(Q(live=True) | Q(Exists(links)))
            .order_by("path")
            .values_list("pk", "title", "live")
        )
        unpublished = _("avpublicerat")
        return [
            *(
                (str(pk), title if live else f"{title} ({unpublished})")
                for pk, title, live in programs
            ),
            (NO_PROGRAM, _("Inget program valt")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NO_PROGRAM:
            # NOT EXISTS lets the newest-first index feed the page; the outer
            # join that ``programs__isnull`` makes read every row and link.
            links = LINKS.filter(interestsubmission_id=OuterRef("pk"))
            return queryset.filter(~Exists(links))
        # isdecimal, not isdigit: int() refuses digits such as "²".
        if not (value and value.isdecimal()):
            return queryset
        pk = int(value)
        # A hand-edited link's huge id would overflow the integer column (500).
        return (
            queryset.filter(programs__pk=pk) if pk <= PAGE_ID_MAX else queryset.none()
        )


# The filters whose lists the tallies count (forms.tally).
TALLY_PARAMS = {
    VERIFICATION_PARAM,
    PROGRAM_PARAM,
    IntakeYearFilter.parameter_name,
    "status__exact",
    "source__exact",
}


def registrations_tally_query(params):
    """The registrations list as the database's tallies count it, each filter
    as its list filter above reads it; ``None`` for a filter they do not count
    (duplicates, dates, since the last visit) or one given twice."""
    if set(params) - TALLY_PARAMS or any(len(v) != 1 for v in params.values()):
        return None
    value = {name: values[0] for name, values in params.items()}.get
    if value(VERIFICATION_PARAM) == UNVERIFIED_VALUE:
        lookups, exclusions = {"verification": Verification.UNVERIFIED}, {}
    else:
        lookups, exclusions = {}, {"verification": Verification.UNVERIFIED}
    for param, column in (("status__exact", "status"), ("source__exact", "source")):
        if value(param) is not None:
            lookups[column] = value(param)
    year = value(IntakeYearFilter.parameter_name)
    if year is not None:
        if not (year.isascii() and year.isdecimal()):
            return None
        if int(year) > YEAR_MAX:
            return TallyQuery(empty=True)
        lookups["intake_year"] = int(year)
    return with_programme(value(PROGRAM_PARAM), lookups, exclusions)


def with_programme(programme, lookups, exclusions):
    """The tally query for ``ProgramFilter``'s value ``programme``."""
    if programme == NO_PROGRAM:
        return TallyQuery(lookups, exclusions, no_programme=True)
    if not (programme and programme.isdecimal()):
        return TallyQuery(lookups, exclusions)
    if int(programme) > PAGE_ID_MAX:
        return TallyQuery(empty=True)
    return TallyQuery(lookups, exclusions, int(programme))


DUPLICATES_PARAM = "dubbletter"
DUPLICATES_VALUE = "ja"


class DuplicateFilter(SimpleListFilter):
    """Only registrations that share an address and intake year with another."""

    title = _("dubbletter")
    parameter_name = DUPLICATES_PARAM

    def lookups(self, request, model_admin):
        return [(DUPLICATES_VALUE, _("Bara möjliga dubbletter"))]

    def queryset(self, request, queryset):
        if self.value() != DUPLICATES_VALUE:
            return queryset
        return with_duplicates(queryset)


class SubmissionPermissionHelper(PermissionHelper):
    """Lets only holders of the model's view permission near the personal data.

    modeladmin's default lets anyone with *any* permission on the model list it;
    here listing, inspecting and exporting need ``view``, and the generic create
    and edit forms are closed to everyone.
    """

    def user_can_list(self, user):
        return self.user_has_specific_permission(user, self.get_perm_codename("view"))

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self.user_can_list(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return self.user_can_list(user) and super().user_can_delete_obj(user, obj)


class InterestPermissionHelper(SubmissionPermissionHelper):
    """A registration also has a status, which its change permission may set."""

    def user_can_change_status(self, user, obj):
        change = self.get_perm_codename("change")
        return self.user_can_list(user) and self.user_has_specific_permission(
            user, change
        )


class SubmissionAdmin(ModelAdmin):
    """What both submission lists share: permissions, views, export and detail."""

    permission_helper_class = SubmissionPermissionHelper
    index_view_class = SubmissionIndexView
    inspect_view_class = SubmissionInspectView
    inspect_view_enabled = True
    # modeladmin's history view checks no permission at all; status changes are
    # recorded on the submission itself (status_changed_at/by).
    history_view_enabled = False
    inspect_template_name = "forms/admin/inspect_submission.html"
    # The list, with a link to the person's XLSX exports of it.
    index_template_name = "forms/admin/submission_index.html"
    menu_icon = "form"
    list_per_page = 50
    search_fields = ("reference", "name", "email", "organisation")
    # Who sent it, and what became of its e-mail: in every detail view.
    PERSON_FIELDS = ("reference", "name", "email", "phone", "organisation")
    DELIVERY_FIELDS = (
        "verification",
        "notification_state",
        "receipt_state",
        "delivery_attempts",
        "delivery_error",
    )
    export_headings = {
        "reference": _("Referens"),
        "name": _("Namn"),
        "email": _("E-post"),
        "phone": _("Telefon"),
        "organisation": _("Kommun/region"),
        "role": _("Roll"),
        "submitted": _("Inskickad"),
        "form_page": _("Formulär"),
    }
    # Exported columns that show a choice field's label: column -> field.
    export_choice_labels: dict[str, str] = {}
    # Columns no exported column reads: left in the database by an export.
    export_defer: tuple[str, ...] = ()

    def prepare_export_rows(self, rows):
        """Reads what a chunk of exported rows needs besides their own columns,
        in as few queries as the chunk allows; a hook for the registrations."""

    def prepare_list_rows(self, objects):
        """Reads what a page of the list shows besides the rows' own columns."""

    def list_counts(self, queryset, tally_query=None):
        """The table of counts above the list, or ``None`` for no table."""
        return None

    def tally_query(self, params, search):
        """The list as the database's tallies count it, or ``None`` where they
        cannot: then the list counts its own rows."""
        return None

    def inspect_context(self, request, instance):
        """What the detail view shows besides the fields and answers."""
        return {}

    def get_index_view_extra_css(self):
        return ["forms/admin/inbox.css"]

    def get_index_view_extra_js(self):
        return ["forms/admin/inbox.js"]

    def cell_renderers(self):
        """List cells drawn as more than their text: the person's name links to
        the detail view, with the address below it, breaking only after "@"."""
        return {"person": self.person}

    @admin.display(description=_("namn och e-post"), ordering="name")
    def person(self, obj):
        url = self.url_helper.get_action_url("inspect", obj.pk)
        flag = ""
        if getattr(obj, "has_duplicate", False):
            flag = format_html(
                '<br><span class="inbox-flag">{}</span>', _("Möjlig dubblett")
            )
        return format_html(
            '<a href="{}">{}</a><br><span class="inbox-email">{}</span>{}',
            url,
            words_html(obj.name or obj.reference),
            email_html(obj.email),
            flag,
        )

    def bulk_statuses(self, user):
        """The statuses the selected rows may be given; none where there are none."""
        return []

    def index_summary(self, request):
        """What the list shows above its rows besides the filters; a hook."""
        return {}

    def inspect_summary(self, request, obj):
        """What the detail view shows besides the fields; a hook."""
        return {}

    def bulk_view(self, request):
        view = BulkActionView.as_view(model_admin=self)
        return permitted_or_forbidden(view)(request)

    def accept_view(self, request, instance_pk):
        view = AcceptView.as_view(
            model_admin=self, instance_pk=existing_pk(instance_pk)
        )
        return permitted_or_forbidden(view)(request)

    def correct_view(self, request, instance_pk):
        view = CorrectionView.as_view(
            model_admin=self, instance_pk=existing_pk(instance_pk)
        )
        return permitted_or_forbidden(view)(request)

    def discard_view(self, request, instance_pk):
        view = DiscardView.as_view(
            model_admin=self, instance_pk=existing_pk(instance_pk)
        )
        return permitted_or_forbidden(view)(request)

    def register_indexing(self):
        """Keeps submissions out of the reference index: nothing is gained by
        listing them as "usages" of a form page, and each submission would cost
        extra writes at the busiest moment, when the form is sent."""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("page")

    def get_admin_urls_for_registration(self):
        """Besides modeladmin's: bulk actions on ticked rows, and the person's
        XLSX exports and their downloads."""
        base = self.url_helper.base_url_path
        name = self.url_helper.get_action_url_name
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                self.url_helper._get_action_url_pattern("bulk"),
                self.bulk_view,
                name=name("bulk"),
            ),
            # Accept and discard for unverified submissions (forms.review).
            *(
                re_path(
                    self.url_helper.get_action_url_pattern(action),
                    view,
                    name=name(action),
                )
                for action, view in (
                    ("accept", self.accept_view),
                    ("discard", self.discard_view),
                    ("correct", self.correct_view),
                )
            ),
            re_path(
                rf"^{base}/exporter/$",
                permitted_or_forbidden(ExportListView.as_view(model_admin=self)),
                name=name("exports"),
            ),
            re_path(
                rf"^{base}/exporter/(?P<export_pk>[0-9]{{1,18}})/$",
                permitted_or_forbidden(ExportDownloadView.as_view(model_admin=self)),
                name=name("export_download"),
            ),
        )

    def get_export_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    def index_view(self, request):
        return permitted_or_forbidden(super().index_view)(request)

    def inspect_view(self, request, instance_pk):
        return permitted_or_forbidden(super().inspect_view)(
            request, existing_pk(instance_pk)
        )

    def create_view(self, request):
        return permitted_or_forbidden(super().create_view)(request)

    def edit_view(self, request, instance_pk):
        return permitted_or_forbidden(super().edit_view)(
            request, existing_pk(instance_pk)
        )

    def delete_view(self, request, instance_pk):
        return permitted_or_forbidden(super().delete_view)(
            request, existing_pk(instance_pk)
        )

    @admin.display(description=_("formulär"))
    def form_page(self, obj):
        return obj.form_title

    @admin.display(description=_("inskickad"), ordering="submit_time")
    def submitted(self, obj):
        return timezone.localtime(obj.submit_time).strftime("%Y-%m-%d %H:%M")


class InterestSubmissionAdmin(SubmissionAdmin):
    model = InterestSubmission
    permission_helper_class = InterestPermissionHelper
    menu_label = _("Intresseanmälningar")
    menu_order = 250
    base_url_path = "intresseanmalningar"
    export_filename = "intresseanmalningar"
    # Role, phone and answers are in the detail view and the export: the list
    # keeps to what a manager sorts and filters by.
    list_display = (
        "person",
        "organisation",
        "program_abbreviations",
        "year",
        "status",
        "submitted",
        "notification_state",
    )
    list_filter = (
        VerificationFilter,
        SinceLastVisitFilter,
        ProgramFilter,
        IntakeYearFilter,
        "status",
        DuplicateFilter,
        "source",
        "submit_time",
    )
    list_export = (
        *SubmissionAdmin.PERSON_FIELDS,
        "role",
        "program_titles",
        "intake_year",
        "status_label",
        "source_label",
        "submitted",
        "form_page",
        "notification_state_label",
        "receipt_state_label",
    )
    export_headings = {
        **SubmissionAdmin.export_headings,
        "program_titles": _("Program"),
        "intake_year": _("Antagningsår"),
        "status_label": _("Status"),
        "source_label": _("Inkom via"),
        "notification_state_label": _("Avisering"),
        "receipt_state_label": _("Kvitto"),
    }
    export_defer = ("delivery_error",)
    export_choice_labels = {
        "status_label": "status",
        "source_label": "source",
        "notification_state_label": "notification_state",
        "receipt_state_label": "receipt_state",
    }
    inspect_view_fields = [
        *SubmissionAdmin.PERSON_FIELDS,
        "role",
        "programs",
        "intake_year",
        "status",
        "status_changed_at",
        "status_changed_by",
        "source",
        "page",
        "submit_time",
        *SubmissionAdmin.DELIVERY_FIELDS,
    ]

    def get_queryset(self, request):
        programs = ProgramPage.objects.order_by("path").only(
            "pk", "title", "short_title"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("programs", queryset=programs))
        )

    def get_admin_urls_for_registration(self):
        helper = self.url_helper
        instance_actions = (
            ("status", self.status_view),
            ("admission", self.admission_view),
            ("note", self.instance_view(NoteView)),
            ("merge", self.instance_view(MergeDuplicateView)),
            ("dismiss", self.instance_view(DismissDuplicateView)),
        )
        return (
            *super().get_admin_urls_for_registration(),
            *(
                re_path(
                    helper.get_action_url_pattern(action),
                    view,
                    name=helper.get_action_url_name(action),
                )
                for action, view in instance_actions
            ),
            re_path(
                helper._get_action_url_pattern("mail"),
                permitted_or_forbidden(MailSelectionView.as_view(model_admin=self)),
                name=helper.get_action_url_name("mail"),
            ),
            re_path(
                helper._get_action_url_pattern("manuell"),
                permitted_or_forbidden(ManualEntryView.as_view(model_admin=self)),
                name=helper.get_action_url_name("manuell"),
            ),
        )

    def instance_view(self, view_class):
        def view(request, instance_pk):
            as_view = view_class.as_view(
                model_admin=self, instance_pk=existing_pk(instance_pk)
            )
            return permitted_or_forbidden(as_view)(request)

        return view

    def prepare_list_rows(self, objects):
        """The page's duplicate flags, from one query."""
        duplicates = flagged(obj.pk for obj in objects)
        for obj in objects:
            obj.has_duplicate = obj.pk in duplicates

    def list_counts(self, queryset, tally_query=None):
        return programme_status_counts(queryset, tally_query)

    def tally_query(self, params, search):
        if search:
            return None
        return registrations_tally_query(params)

    def inspect_context(self, request, instance):
        return hygiene_context(request, self, instance)

    def admission_view(self, request, instance_pk):
        view = AdmissionView.as_view(
            model_admin=self, instance_pk=existing_pk(instance_pk)
        )
        return permitted_or_forbidden(view)(request)

    def index_summary(self, request):
        """ "Antagna 27 av 30 platser", "Reserver 4" per intake of the year the
        list is filtered by, or else of the newest year with intakes."""
        year = request.GET.get(IntakeYearFilter.parameter_name, "")
        if not (year.isascii() and year.isdecimal() and int(year) <= YEAR_MAX):
            year = Intake.objects.aggregate(newest=Max("year"))["newest"]
        if year is None:
            return {}
        may_mail = self.permission_helper.user_can_change_status(request.user, None)
        return {
            "capacity_year": int(year),
            "capacities": capacities(int(year)),
            "mail_url": self.url_helper.get_action_url("mail") if may_mail else None,
        }

    def inspect_summary(self, request, obj):
        admissions = {
            admission.intake_id: admission
            for admission in obj.admissions.select_related("changed_by")
        }
        may_decide = self.permission_helper.user_can_change_status(request.user, obj)
        admission_url = self.url_helper.get_action_url("admission", obj.pk)
        return {
            "intake_decisions": [
                {
                    "intake": intake,
                    "admission": admissions.get(intake.pk),
                    "url": f"{admission_url}?intake={intake.pk}"
                    if may_decide
                    else None,
                }
                for intake in intakes_for(obj)
            ],
            "sent_emails": obj.sent_emails.select_related("sent_by", "intake__program"),
            "shows_sent_emails": True,
        }

    def status_view(self, request, instance_pk):
        view = ChangeStatusView.as_view(
            model_admin=self, instance_pk=existing_pk(instance_pk)
        )
        return permitted_or_forbidden(view)(request)

    def prepare_export_rows(self, rows):
        """The chunk's programme titles from one query of the links: no page
        objects built, which cost more than all the rest of an exported row."""
        links = (
            InterestSubmission.programs.through.objects.filter(
                interestsubmission_id__in=[row.pk for row in rows]
            )
            .order_by("programpage__path")
            .values_list("interestsubmission_id", "programpage__title")
        )
        titles = defaultdict(list)
        for pk, title in links:
            titles[pk].append(title)
        for row in rows:
            row.exported_program_titles = ", ".join(titles[row.pk])

    @admin.display(description=_("program"))
    def program_titles(self, obj):
        exported = getattr(obj, "exported_program_titles", None)
        if exported is not None:
            return exported
        return ", ".join(program.title for program in obj.programs.all())

    @admin.display(description=_("program"))
    def program_abbreviations(self, obj):
        """Each programme by its short name, the full title for a mouse or a
        screen reader."""
        return format_html_join(
            ", ",
            '<abbr title="{}">{}</abbr>',
            (
                (program.title, words_html(program.abbreviation))
                for program in obj.programs.all()
            ),
        )

    @admin.display(description=_("år"), ordering="intake_year")
    def year(self, obj):
        return obj.intake_year

    def cell_renderers(self):
        return {
            **super().cell_renderers(),
            "program_abbreviations": self.program_abbreviations,
        }

    def bulk_statuses(self, user):
        if not self.permission_helper.user_can_change_status(user, None):
            return []
        return GENERAL_STATUSES

    def status_label(self, obj):
        return obj.get_status_display()

    def source_label(self, obj):
        return obj.get_source_display()

    def notification_state_label(self, obj):
        return obj.get_notification_state_display()

    def receipt_state_label(self, obj):
        return obj.get_receipt_state_display()


class ContactSubmissionAdmin(SubmissionAdmin):
    model = ContactSubmission
    menu_label = _("Kontaktförfrågningar")
    menu_icon = "mail"
    menu_order = 251
    base_url_path = "kontaktforfragningar"
    export_filename = "kontaktforfragningar"
    # The contact form asks for no municipality: a message preview instead.
    list_display = ("person", "message_preview", "submitted", "notification_state")
    list_filter = (VerificationFilter, SinceLastVisitFilter, "submit_time")
    list_export = (*SubmissionAdmin.PERSON_FIELDS, "submitted", "form_page")
    inspect_view_fields = [
        *SubmissionAdmin.PERSON_FIELDS,
        "page",
        "submit_time",
        *SubmissionAdmin.DELIVERY_FIELDS,
    ]

    @admin.display(description=_("meddelande"))
    def message_preview(self, obj):
        return Truncator(obj.message_text()).chars(MESSAGE_PREVIEW_CHARS)
