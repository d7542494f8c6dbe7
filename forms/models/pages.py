from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractEmailForm
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalKey
from rest_framework import serializers

from programs.headless_preview import HeadlessPreviewMixin
from programs.models import InformationOwnerMixin, Intake, IntakeStatus
from programs.page_permissions import SitePagePermissionsMixin

from .. import interest
from ..admin_forms import (
    InterestFormPageForm,
    SubmissionFormPageAPIForm,
    SubmissionFormPageForm,
)
from ..forms import SkrFormBuilder, restore_verification
from ..panels import InterestWindowPanel, SubmissionsPanel, email_panel
from ..submitting import (
    REVIEW_FIELD,
    InvalidSubmission,
    RateLimited,
    ReviewAlreadySent,
    SubmissionRefused,
    client_ip,
    form_with_message,
    review_token,
    store,
    submit,
    submit_for_review,
    verification_failed,
)
from ..thanks import redirect_to_thanks, thanked, what_happens_next
from ..window import FormWindow
from ..years import year_mismatches
from .fields import Autocomplete, SkrFormField
from .submissions import ContactSubmission, InterestSubmission

MAX_RETENTION_MONTHS = 120
NO_FILES_MESSAGE = _(
    "Formuläret tar inte emot filer. Skicka det utan bilagor, "
    "eller skriv till oss om du behöver skicka en fil."
)


class SubmissionFormPage(
    SitePagePermissionsMixin,
    HeadlessPreviewMixin,
    InformationOwnerMixin,
    AbstractEmailForm,
):
    """What both public forms share: window, verification, retention and e-mail."""

    intro = models.TextField(_("ingress"), blank=True)
    opens_at = models.DateTimeField(
        _("öppnar"), null=True, blank=True, help_text=_("Tomt: öppet direkt.")
    )
    closes_at = models.DateTimeField(
        _("stänger"), null=True, blank=True, help_text=_("Tomt: inget slutdatum.")
    )
    not_open_text = models.TextField(
        _("text innan formuläret öppnar"),
        blank=True,
        default="Formuläret är inte öppet ännu.",
    )
    closed_text = models.TextField(
        _("text när formuläret har stängt"),
        blank=True,
        default="Formuläret är stängt.",
    )
    thank_you_text = models.TextField(
        _("tack-text"),
        default="Tack! Vi har tagit emot ditt meddelande.",
        help_text=_("Visas när formuläret har skickats."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("gallras efter (månader)"),
        default=24,
        # 0 would purge every submission on the next cron run; thousands of months
        # would put the cut-off before year 1 and stop the purge for every form.
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_MONTHS)],
        help_text=_(
            "Inskickade uppgifter raderas automatiskt efter så här många månader."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("sida om personuppgifter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    settings_panels = [
        *AbstractEmailForm.settings_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("not_open_text"),
                FieldPanel("closed_text"),
            ],
            heading=_("När formuläret är öppet"),
        ),
    ]
    # The title and the count of submissions come first; a form type may put
    # fields of its own between those and the form (see InterestFormPage).
    heading_panels = [SubmissionsPanel(), *AbstractEmailForm.content_panels]
    form_panels = [
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Formulärfält")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("privacy_page"), FieldPanel("retention_months")],
            heading=_("Personuppgifter"),
        ),
        InformationOwnerMixin.information_owners_panel,
    ]
    content_panels = [*heading_panels, *form_panels]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro", writable=True),
        APIField("opens_at", writable=True),
        APIField("closes_at", writable=True),
        APIField("form_fields"),
        InformationOwnerMixin.information_owners_api_field,
        APIField("is_open", serializer=serializers.BooleanField(read_only=True)),
        APIField(
            "state",
            serializer=serializers.ChoiceField(
                FormWindow.choices, source="window_state", read_only=True
            ),
        ),
        APIField("challenge_url", serializer=serializers.CharField(read_only=True)),
        APIField("submission_url", serializer=serializers.CharField(read_only=True)),
    ]

    form_builder = SkrFormBuilder
    base_form_class = SubmissionFormPageForm
    api_base_form_class = SubmissionFormPageAPIForm

    class Meta:
        abstract = True

    def clean(self):
        """A form that closes before it opens would never take a submission."""
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("Formuläret måste stänga efter att det har öppnat.")}
            )

    def with_content_json(self, content):
        """Keeps the stored recipients whatever revision is restored.

        The recipients are routing, not content: who reads the notifications is
        decided by the people who may read the submissions, and the field is
        hidden from the communicators. Were it restored with a revision, a
        communicator's revert, publish of an older draft or scheduled revision
        would put back old recipients (often none, and notifications are then
        skipped) without ever seeing the field. So, like Wagtail's ``live`` and
        ``locked``, it belongs to the page as a whole; the admin form writes a
        change to the page at once (``SubmissionFormPageForm``).
        """
        page = super().with_content_json(content)
        page.to_address = self.to_address
        return page

    def get_data_fields(self):
        """Wagtail's own list and export of this page's submissions: the title
        each was sent under next to its date, since "Ny antagning" renames the
        page while older submissions stay on it."""
        submitted, *fields = super().get_data_fields()
        return [submitted, ("form_title", _("Formulär")), *fields]

    def get_submissions_list_view_class(self):
        # Wagtail's admin views load models on import: not while models load.
        from ..exports import SubmissionsExportView

        return SubmissionsExportView

    def window_state(self, now=None):
        """Whether the form takes submissions now: open, not yet open, or closed."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return FormWindow.NOT_YET_OPEN
        if self.closes_at and now >= self.closes_at:
            return FormWindow.CLOSED
        return FormWindow.OPEN

    @property
    def is_open(self):
        return self.window_state() == FormWindow.OPEN

    def window_message(self, state):
        if state == FormWindow.NOT_YET_OPEN:
            return self.not_open_text
        if state == FormWindow.CLOSED:
            return self.closed_text
        return ""

    @property
    def challenge_url(self):
        """Where a front-end fetches the verification's proof-of-work challenge."""
        return reverse("altcha_django:challenge")

    @property
    def submission_url(self):
        """Where a front-end sends the form as JSON (the forms API)."""
        return reverse("forms_api:submit", kwargs={"page_id": self.pk})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        state = self.window_state()
        context["window_state"] = state
        context["window_message"] = self.window_message(state)
        return context

    def serve(self, request, *args, **kwargs):
        # The empty form is the same for everyone (no CSRF token: forms/csrf.py;
        # the widget fetches its challenge), so caches may keep it. What answers
        # a post (the person's own answers) or thanks them (their reference) is
        # theirs alone.
        response = self.serve_form(request, *args, **kwargs)
        if request.method == "POST" or request.GET:
            add_never_cache_headers(response)
        return response

    def serve_form(self, request, *args, **kwargs):
        if request.method != "POST":
            thanks = thanked(request)
            if thanks is not None:
                return self.render_thanks(request, thanks)
            return super().serve(request, *args, **kwargs)
        data = request.POST  # parsed here at the latest: the upload check needs it
        if getattr(request, "upload_refused", False):
            form = self.get_form(data, page=self, request=request)
            return self.render_form(
                request, form_with_message(form, NO_FILES_MESSAGE), status=400
            )
        for_review = REVIEW_FIELD in data
        send = submit_for_review if for_review else submit
        try:
            result = send(self, data, client_ip=client_ip(request), request=request)
        except InvalidSubmission as refusal:
            offer_review = not isinstance(refusal, ReviewAlreadySent)
            return self.render_form(request, refusal.form, offer_review=offer_review)
        except RateLimited as refusal:
            form = self.get_form(request.POST, page=self, request=request)
            response = self.render_form(
                request, form_with_message(form, refusal.message), status=429
            )
            response["Retry-After"] = str(refusal.retry_after)
            return response
        except SubmissionRefused as refusal:
            return self.render_form(request, None, status=refusal.status_code)
        return redirect_to_thanks(
            self.get_url(request), result.reference, awaits_review=for_review
        )

    def render_form(self, request, form, status=200, offer_review=False):
        """The form again; after a failed verification (or a failed second step)
        it offers to send the form anyway, for manual review."""
        context = self.get_context(request)
        context["form"] = None if form is None else restore_verification(form)
        if offer_review and (REVIEW_FIELD in request.POST or verification_failed(form)):
            context["review_field"] = REVIEW_FIELD
            context["review_token"] = review_token(self, client_ip(request))
        return TemplateResponse(
            request, self.get_template(request), context, status=status
        )

    def render_thanks(self, request, thanks):
        context = self.get_context(request)
        context["reference"] = thanks.reference
        context["awaits_review"] = thanks.awaits_review
        context["what_happens_next"] = what_happens_next(self)
        # A receipt needs an address: a form without an e-mail field sends none.
        context["receipt_sent"] = self.form_fields.filter(
            autocomplete=Autocomplete.EMAIL
        ).exists()
        return TemplateResponse(
            request, self.get_landing_page_template(request), context
        )

    def process_form_submission(self, form):
        return store(self, form)

    def submission_defaults(self):
        """Columns every submission to this page gets, whatever was answered."""
        return {}


class InterestFormPage(SubmissionFormPage):
    """Interest registration for one year's intake of the programmes.

    It has no opening and closing times of its own: it is open while an intake
    of its year takes interest (``forms.interest``), so that the intakes, the
    programme pages and the form can never disagree.
    """

    intake_year = models.PositiveSmallIntegerField(
        _("antagningsår"),
        help_text=_(
            "Året anmälningarna gäller, t.ex. 2025. Formuläret är öppet när "
            "antagningarna för året tar emot intresseanmälningar."
        ),
    )

    base_form_class = InterestFormPageForm
    template = "pages/interest_form_page.html"
    landing_page_template = "pages/form_page_landing.html"

    content_panels = [
        *SubmissionFormPage.heading_panels,
        FieldPanel("intake_year"),
        InterestWindowPanel(heading=_("När formuläret är öppet")),
        *SubmissionFormPage.form_panels,
        email_panel(InterestSubmission),
    ]
    settings_panels = [
        *AbstractEmailForm.settings_panels,
        MultiFieldPanel(
            [FieldPanel("not_open_text"), FieldPanel("closed_text")],
            heading=_("Texter när formuläret inte är öppet"),
            help_text=_(
                "Lämna tomt för standardtexten. När nästa intresseanmälan "
                "öppnar läggs till automatiskt."
            ),
        ),
    ]
    # The window comes from the year's intakes here: read only.
    api_fields = [
        *(
            field
            for field in SubmissionFormPage.api_fields
            if field.name not in ("opens_at", "closes_at")
        ),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("intake_year", writable=True),
    ]

    parent_page_types = ["programs.ProgramIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("intresseanmälan")
        verbose_name_plural = _("intresseanmälningar")

    def clean(self):
        super().clean()
        errors = year_mismatches(self)
        if not Intake.objects.filter(year=self.intake_year).exists():
            errors.setdefault("intake_year", []).append(
                _(
                    "Det finns ingen antagning för %(year)s. Skapa den först, "
                    "t.ex. med Ny antagning på programöversikten."
                )
                % {"year": self.intake_year}
            )
        if errors:
            raise ValidationError(errors)

    @cached_property
    def published_intakes(self) -> list[Intake]:
        """The published intakes of this year and later, with their sessions."""
        if self.intake_year is None:
            return []
        return list(
            Intake.objects.published()
            .filter(year__gte=self.intake_year)
            .order_by("year")
            .with_sessions()
        )

    @property
    def interest_intakes(self) -> list[Intake]:
        """The intakes this form collects interest for: they open and close it."""
        return [i for i in self.published_intakes if i.year == self.intake_year]

    @property
    def opens_at(self):
        """When the year's intakes open for interest (the earliest of them)."""
        times = [i.interest_opens_at for i in self.interest_intakes]
        return min((t for t in times if t), default=None)

    @property
    def closes_at(self):
        """When the last of the year's intakes closes; None while one stays open."""
        times = [i.interest_closes_at for i in self.interest_intakes]
        return None if not times or None in times else max(times)

    def window_state(self, now=None):
        return interest.window_of(self.interest_intakes, now or timezone.now())

    def get_context(self, request, *args, **kwargs):
        """While it is not open, the page offers "Meddela mig när anmälan
        öppnar" (forms.opening)."""
        context = super().get_context(request, *args, **kwargs)
        if context["window_state"] != FormWindow.OPEN:
            from ..opening import NotifyForm  # forms.opening imports the models

            context["notify_form"] = NotifyForm()
        return context

    def window_message(self, state, now=None):
        now = now or timezone.now()
        if state == FormWindow.NOT_YET_OPEN:
            opens = interest.opening_of(self.interest_intakes, now)
            return interest.not_open_message(
                self.intake_year, opens, self.not_open_text
            )
        if state == FormWindow.CLOSED:
            return interest.closed_message(
                self.intake_year, self.next_interest(now), self.closed_text
            )
        return ""

    def next_interest(self, now=None):
        later = [i for i in self.published_intakes if i.year > self.intake_year]
        return interest.next_after(later, now or timezone.now())

    def closed_program_ids(self, now=None) -> set[int]:
        """Programmes whose intake of the year takes no interest (e.g. full)."""
        now = now or timezone.now()
        return {
            intake.program_id
            for intake in self.interest_intakes
            if intake.shown_status_at(now) != IntakeStatus.INTEREST_OPEN
        }

    def get_form_class(self):
        builder = self.form_builder(
            self.get_form_fields(), closed_programs=self.closed_program_ids()
        )
        return builder.get_form_class()

    def get_submission_class(self):
        return InterestSubmission

    def submission_defaults(self):
        return {"intake_year": self.intake_year}


class InterestFormField(SkrFormField):
    page = ParentalKey(
        InterestFormPage, on_delete=models.CASCADE, related_name="form_fields"
    )

    class Meta(SkrFormField.Meta):
        verbose_name = _("formulärfält")
        verbose_name_plural = _("formulärfält")


class ContactFormPage(SubmissionFormPage):
    """The general "Kontakta oss" form."""

    template = "pages/contact_form_page.html"
    landing_page_template = "pages/form_page_landing.html"

    content_panels = [
        *SubmissionFormPage.content_panels,
        email_panel(ContactSubmission),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("kontaktformulär")
        verbose_name_plural = _("kontaktformulär")

    def get_submission_class(self):
        return ContactSubmission


class ContactFormField(SkrFormField):
    page = ParentalKey(
        ContactFormPage, on_delete=models.CASCADE, related_name="form_fields"
    )

    class Meta(SkrFormField.Meta):
        verbose_name = _("formulärfält")
        verbose_name_plural = _("formulärfält")
