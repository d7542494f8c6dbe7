"""One message to a selection of registrations: the rows ticked in the inbox,
or everyone admitted to an intake. Previewed for the first recipient, then each
recipient's copy is rendered, logged and sent by the task worker."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.admin import messages

from wagtail_modeladmin.views import WMABaseView

from programs.models import Intake

from .bulk import MAX_SELECTED, SELECTED_PARAM, SUBMISSION_ID_MAX
from .models import AdmissionStatus, InterestSubmission
from .models.admissions import validate_placeholders
from .status_email import BULK_TEMPLATE, prepare, queue

INTAKE_PARAM = "intake"


class MessageForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Ämne"), max_length=200, validators=[validate_placeholders]
    )
    body = forms.CharField(
        label=gettext_lazy("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 12}),
        validators=[validate_placeholders],
        help_text=gettext_lazy(
            "Platshållare: {namn}, {program}, {omgång}, {datum}, {plats}. De fylls "
            "i för varje mottagare."
        ),
    )


def pk_list(values):
    return [
        int(value)
        for value in values
        if value.isascii() and value.isdecimal() and int(value) <= SUBMISSION_ID_MAX
    ][:MAX_SELECTED]


class MailSelectionView(WMABaseView):
    template_name = "forms/admin/mail_selection.html"
    http_method_names = ["get", "post"]

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_change_status(user, None)

    def dispatch(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Mejla ett urval")

    def intake(self, data):
        value = data.get(INTAKE_PARAM, "")
        if value.isascii() and value.isdecimal() and int(value) < 2**31:
            return Intake.objects.select_related("program").filter(pk=value).first()
        return None

    def recipients(self, data, intake):
        """Everyone admitted to ``intake``, or else the ticked registrations."""
        registrations = InterestSubmission.objects.order_by("name", "pk")
        if intake is not None:
            return registrations.filter(
                admissions__intake=intake,
                admissions__status=AdmissionStatus.ACCEPTED,
            )
        return registrations.filter(pk__in=pk_list(data.getlist(SELECTED_PARAM)))

    def render(self, form, recipients, intake, preview=None):
        context = self.get_context_data(
            form=form,
            recipients=recipients,
            intake=intake,
            preview=preview,
            form_url=self.url_helper.get_action_url("mail"),
            index_url=self.url_helper.index_url,
        )
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        intake = self.intake(request.GET)
        return self.render(
            MessageForm(), list(self.recipients(request.GET, intake)), intake
        )

    def post(self, request, *args, **kwargs):
        intake = self.intake(request.POST)
        recipients = list(self.recipients(request.POST, intake))
        if not recipients:
            messages.error(request, _("Markera minst en rad först."))
            return redirect(self.url_helper.index_url)
        action = request.POST.get("action")
        # Arriving from the inbox's ticked rows: nothing written yet.
        if action not in ("preview", "send"):
            return self.render(MessageForm(), recipients, intake)
        form = MessageForm(request.POST)
        if not form.is_valid():
            return self.render(form, recipients, intake)
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        if action == "preview":
            first = prepare(recipients[0], intake, BULK_TEMPLATE, subject, body, None)
            return self.render(form, recipients, intake, preview=first)
        queue(
            [
                prepare(person, intake, BULK_TEMPLATE, subject, body, request.user)
                for person in recipients
            ]
        )
        messages.success(
            request,
            ngettext(
                "Meddelandet skickas till %(count)d person.",
                "Meddelandet skickas till %(count)d personer.",
                len(recipients),
            )
            % {"count": len(recipients)},
        )
        return redirect(self.url_helper.index_url)
