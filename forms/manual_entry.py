"""A registration that came by phone, letter or e-mail, typed in by a manager.

It is the interest form's own form (the communicators' fields, their labels
and checks) without the verification and the honeypot, and it is stored by the
same service as the web form's, so the inbox, its filters, counts and exports
show it like any other; only its source tells it apart. The person gets a
receipt only when the manager ticks "Skicka kvitto".
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages

from wagtail_modeladmin.views import WMABaseView

from .forms import RESERVED_NAMES
from .hygiene_views import may_annotate
from .models import DeliveryState, InterestFormPage, Source
from .submitting import store

SOURCE_FIELD = "inkom_via"
RECEIPT_FIELD = "skicka_kvitto"


def manual_sources():
    return [(value, label) for value, label in Source.choices if value != Source.WEB]


def manual_form(page, data=None):
    """The page's form for a manager: no verification, plus source and receipt."""
    form = page.get_form_class()(data)
    for name in RESERVED_NAMES:
        form.fields.pop(name, None)
    form.fields[SOURCE_FIELD] = forms.ChoiceField(
        label=gettext_lazy("Inkom via"),
        choices=manual_sources(),
        error_messages={"required": gettext_lazy("Välj hur anmälan kom in.")},
    )
    form.fields[RECEIPT_FIELD] = forms.BooleanField(
        label=gettext_lazy("Skicka kvitto"),
        help_text=gettext_lazy(
            "Ett kort kvitto med referensnumret till den e-postadress du fyllt i."
        ),
        required=False,
    )
    return form


def current_form_page():
    """The interest form of the latest intake: where a new registration goes."""
    return InterestFormPage.objects.live().order_by("-intake_year", "-pk").first()


class ManualEntryView(WMABaseView):
    template_name = "forms/admin/manual_entry.html"
    page_title = gettext_lazy("Registrera intresseanmälan")

    def dispatch(self, request, *args, **kwargs):
        if not may_annotate(request.user, self.model):
            raise PermissionDenied
        self.form_page = current_form_page()
        if self.form_page is None:
            messages.error(request, _("Det finns inget publicerat anmälningsformulär."))
            return redirect(self.index_url)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return _("per telefon, brev eller e-post")

    def get(self, request, *args, **kwargs):
        return self.render(manual_form(self.form_page))

    def post(self, request, *args, **kwargs):
        form = manual_form(self.form_page, request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        wants_receipt = form.cleaned_data[RECEIPT_FIELD]
        columns = {"source": form.cleaned_data[SOURCE_FIELD]}
        if not wants_receipt:
            columns["receipt_state"] = DeliveryState.NOT_WANTED
        submission = store(self.form_page, form, columns=columns)
        messages.success(
            request,
            _("Anmälan från %(who)s är registrerad med referensen %(reference)s.")
            % {
                "who": submission.name or submission.email,
                "reference": submission.reference,
            },
        )
        return redirect(self.url_helper.get_action_url("inspect", submission.pk))

    def render(self, form, status=200):
        context = self.get_context_data(form=form, form_page=self.form_page)
        return TemplateResponse(
            self.request, self.template_name, context, status=status
        )
