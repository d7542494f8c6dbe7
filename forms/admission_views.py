"""A registration's decision per intake in the admin, with its optional e-mail.

The manager chooses a status for one of the registration's intakes; "Skicka
e-post" is unticked until they tick it, and "Förhandsgranska" shows the exact
message (the status's template, filled in for this person) before anything is
saved or sent.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages

from wagtail_modeladmin.views import InstanceSpecificView

from programs.models import Intake

from .admissions import OverCapacity, decide, intakes_for
from .models import AdmissionStatus
from .status_email import prepare, queue, status_template

PREVIEW = "preview"


class AdmissionForm(forms.Form):
    # The registration's own intakes are set per form (__init__).
    intake = forms.ModelChoiceField(
        label=gettext_lazy("Antagning"),
        queryset=Intake.objects.none(),
        empty_label=None,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Beslut"), choices=AdmissionStatus.choices
    )
    over_capacity = forms.BooleanField(
        label=gettext_lazy("Anta ändå, fler än platserna"), required=False
    )
    send_email = forms.BooleanField(
        label=gettext_lazy("Skicka e-post"),
        required=False,
        help_text=gettext_lazy(
            "Skickar statusens mejl till personen. Inget skickas om rutan inte är "
            "ikryssad."
        ),
    )

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intake"].queryset = intakes_for(submission)


class AdmissionView(InstanceSpecificView):
    template_name = "forms/admin/admission.html"
    http_method_names = ["get", "post"]

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_change_status(user, self.instance)

    def dispatch(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Antagning för %(who)s") % {"who": self.instance}

    @property
    def inspect_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def render(self, form, preview=None):
        context = self.get_context_data(
            form=form,
            submission=self.instance,
            preview=preview,
            form_url=self.url_helper.get_action_url("admission", self.pk_quoted),
            inspect_url=self.inspect_url,
        )
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        initial = {}
        intake = request.GET.get("intake", "")
        if intake.isascii() and intake.isdecimal():
            initial["intake"] = int(intake)
        return self.render(AdmissionForm(initial=initial, submission=self.instance))

    def email_for(self, intake, status):
        template = status_template(status)
        if template is None:
            return None
        return prepare(
            self.instance,
            intake,
            status,
            template.subject,
            template.body,
            self.request.user,
        )

    def post(self, request, *args, **kwargs):
        form = AdmissionForm(request.POST, submission=self.instance)
        if not form.is_valid():
            return self.render(form)
        intake = form.cleaned_data["intake"]
        status = form.cleaned_data["status"]
        send = form.cleaned_data["send_email"]
        email = self.email_for(intake, status) if send else None
        if send and email is None:
            form.add_error(
                "send_email",
                _("Det finns inget mejl för statusen ”%(status)s”.")
                % {"status": AdmissionStatus(status).label},
            )
            return self.render(form)
        if request.POST.get("action") == PREVIEW:
            if email is None:
                email = self.email_for(intake, status)
            return self.render(form, preview=email)
        try:
            decide(
                self.instance,
                intake,
                status,
                request.user,
                over_capacity=form.cleaned_data["over_capacity"],
            )
        except OverCapacity as error:
            form.add_error("over_capacity", error)
            return self.render(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form)
        label = AdmissionStatus(status).label
        if email is not None:
            queue([email])
            messages.success(
                request,
                _("%(who)s är nu ”%(status)s” för %(intake)s. Mejlet skickas.")
                % {"who": self.instance, "status": label, "intake": intake},
            )
        else:
            messages.success(
                request,
                _("%(who)s är nu ”%(status)s” för %(intake)s. Inget mejl skickades.")
                % {"who": self.instance, "status": label, "intake": intake},
            )
        return redirect(self.inspect_url)
