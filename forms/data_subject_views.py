"""The admin view for data-subject requests: one address, found, exported, erased.

Everything is POSTed, so an address never sits in a URL, a browser's history or
an access log.
"""

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wagtail.admin import messages

from .data_subject import (
    EXPORTS_KEY,
    LOG_KEY,
    erase,
    export_document,
    find,
    may_handle_requests,
    model_key,
    normalised_phone,
    record,
)
from .models import DataSubjectAction

TEMPLATE = "forms/admin/data_subject.html"
RECENT_ACTIONS = 20


class SubjectForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-postadress"),
        required=False,
        error_messages={
            "invalid": gettext_lazy("Skriv en hel e-postadress, t.ex. namn@kommun.se."),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Namn"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Hela namnet, som personen skrev det i formuläret."),
    )
    phone = forms.CharField(
        label=gettext_lazy("Telefonnummer"),
        required=False,
        max_length=40,
        help_text=gettext_lazy(
            "Skrivet hur som helst: 070-123 45 67 hittar även +46701234567."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Jag har kontrollerat att begäran kommer från den person adressen "
            "tillhör, och att uppgifterna inte längre behövs."
        ),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(
            cleaned.get(name, "").strip() for name in ("email", "name", "phone")
        ):
            raise forms.ValidationError(
                _("Skriv en e-postadress, ett namn eller ett telefonnummer.")
            )
        if cleaned.get("phone") and not normalised_phone(cleaned["phone"]):
            self.add_error("phone", _("Skriv telefonnumret med siffror."))
        return cleaned


class DataSubjectView(View):
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not may_handle_requests(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(SubjectForm())

    def post(self, request):
        form = SubjectForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        findings = find(data["email"], data["name"], data["phone"])
        action = request.POST.get("action", "search")
        if action == "export":
            record(request.user, DataSubjectAction.Kind.EXPORT, findings)
            return self.export(findings)
        if action == "erase":
            return self.erase(form, findings)
        if action == "search":
            record(request.user, DataSubjectAction.Kind.SEARCH, findings)
        return self.render(form, findings, confirming=action == "confirm")

    def erase(self, form, findings):
        if not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Bekräfta raderingen först."))
            return self.render(form, findings, confirming=True)
        counts = erase(findings)
        record(self.request.user, DataSubjectAction.Kind.ERASE, findings, counts)
        messages.success(
            self.request,
            _("Raderat: %(count)d sparade uppgifter om adressen.")
            % {"count": sum(counts.values())},
        )
        return redirect("forms_data_subject")

    def export(self, findings):
        body = json.dumps(export_document(findings), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"registerutdrag-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    def render(self, form, findings=None, confirming=False):
        context = {
            "form": form,
            "findings": findings,
            "groups": found_groups(findings) if findings else [],
            "confirming": confirming,
            "recent": DataSubjectAction.objects.select_related("user")[:RECENT_ACTIONS],
            "log_key": LOG_KEY,
            "exports_key": EXPORTS_KEY,
        }
        response = TemplateResponse(self.request, TEMPLATE, context)
        response["Cache-Control"] = "no-store"
        return response


def found_groups(findings):
    """What was found, per kind, with the counts the page shows."""
    groups = [
        {
            "key": model_key(model),
            "title": str(model._meta.verbose_name_plural).capitalize(),
            "rows": rows,
        }
        for model, rows in findings.submissions.items()
    ]
    groups.append(
        {"key": LOG_KEY, "title": _("Loggposter"), "rows": findings.log_entries}
    )
    groups.append(
        {
            "key": EXPORTS_KEY,
            "title": _("Sparade Excel-exporter"),
            "rows": findings.exports,
        }
    )
    return groups
