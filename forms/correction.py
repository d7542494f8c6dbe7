"""Correcting what a person sent, on their request (GDPR Art. 16).

The form holds the submission's text answers, each under its field's label;
the columns the inbox lists and searches (name, e-mail, phone …) follow the
answers of the fields that fill them, as when the form was sent. What changed
is written to Wagtail's log under the person who corrected it: which fields,
never their old or new values, so the log keeps no copy of what was wrong.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages
from wagtail.log_actions import log

from wagtail_modeladmin.views import InstanceSpecificView

from .permissions import may

CORRECT_ACTION = "forms.correct"
# The answers a person can ask to have corrected here: what they typed.
TEXT_TYPES = {"singleline", "multiline", "email", "url"}


def correctable_fields(submission):
    fields = submission.page.specific.get_form_fields()
    return [
        field
        for field in fields
        if field.field_type in TEXT_TYPES and field.clean_name in submission.form_data
    ]


def correction_form(submission, data=None):
    form = forms.Form(data)
    for field in correctable_fields(submission):
        value = submission.form_data.get(field.clean_name)
        kind = forms.EmailField if field.field_type == "email" else forms.CharField
        widget = (
            forms.Textarea(attrs={"rows": 3})
            if field.field_type == "multiline"
            else None
        )
        form.fields[field.clean_name] = kind(
            label=field.label,
            required=field.required,
            initial="" if value is None else str(value),
            widget=widget,
            error_messages={
                "required": gettext_lazy("Fältet får inte vara tomt."),
                "invalid": gettext_lazy("Skriv en hel e-postadress."),
            },
        )
    return form


def apply_correction(submission, form, user) -> list[str]:
    """Store the corrected answers and their columns; the labels changed."""
    changed = []
    columns = []
    for field in correctable_fields(submission):
        new = form.cleaned_data[field.clean_name]
        if str(submission.form_data.get(field.clean_name) or "") == new:
            continue
        submission.form_data[field.clean_name] = new
        changed.append(field.label)
        column = submission.column_for(getattr(field, "autocomplete", ""))
        if column is not None:
            setattr(submission, column.name, new[: column.max_length])
            columns.append(column.name)
    if changed:
        submission.save(update_fields=["form_data", *dict.fromkeys(columns)])
        log(submission, CORRECT_ACTION, user=user, data={"fields": changed})
    return changed


class CorrectionView(InstanceSpecificView):
    template_name = "forms/admin/correct_submission.html"
    http_method_names = ["get", "post"]

    def check_action_permitted(self, user):
        return may(user, "view", self.model) and may(user, "change", self.model)

    def dispatch(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Rätta uppgifter")

    def get_page_subtitle(self):
        return str(self.instance)

    @property
    def inspect_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def get(self, request, *args, **kwargs):
        return self.render(correction_form(self.instance))

    def post(self, request, *args, **kwargs):
        form = correction_form(self.instance, request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        changed = apply_correction(self.instance, form, request.user)
        if changed:
            messages.success(
                request,
                _("Rättat: %(fields)s.") % {"fields": ", ".join(changed)},
            )
        else:
            messages.info(request, _("Inget ändrades."))
        return redirect(self.inspect_url)

    def render(self, form, status=200):
        context = self.get_context_data(form=form, inspect_url=self.inspect_url)
        return TemplateResponse(
            self.request, self.template_name, context, status=status
        )


def register_correction_log_action(actions):
    actions.register_action(
        CORRECT_ACTION,
        gettext_lazy("Rätta uppgifter"),
        gettext_lazy("Uppgifter rättade på begäran"),
    )
