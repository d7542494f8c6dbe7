"""The detail view's actions for keeping the inbox clean: notes, and duplicates
merged ("Slå ihop") or dismissed ("Inte en dubblett").

All are POSTs by a programme manager who may change registrations; merging
deletes one, so it asks for the delete permission too.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages

from wagtail_modeladmin.views import InstanceSpecificView

from .duplicates import dismiss, duplicates_of, merge
from .models import Note
from .permissions import may


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Ny anteckning"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Skriv anteckningen först."),
            "max_length": gettext_lazy("Anteckningen får vara högst 5 000 tecken."),
        },
    )


def may_annotate(user, model) -> bool:
    return may(user, "view", model) and may(user, "change", model)


def may_merge(user, model) -> bool:
    return may_annotate(user, model) and may(user, "delete", model)


def hygiene_context(request, model_admin, submission) -> dict:
    """What the detail view shows of a registration's notes and duplicates."""
    user = request.user
    url = model_admin.url_helper.get_action_url
    context = {
        "notes": list(submission.notes.select_related("author")),
        "duplicates": duplicates_of(submission),
        "may_merge": may_merge(user, model_admin.model),
        "merge_url": url("merge", submission.pk),
        "dismiss_url": url("dismiss", submission.pk),
    }
    if may_annotate(user, model_admin.model):
        context["note_form"] = NoteForm()
        context["note_url"] = url("note", submission.pk)
    return context


class HygieneView(InstanceSpecificView):
    http_method_names = ["get", "post"]

    def check_action_permitted(self, user):
        return may_annotate(user, self.model)

    def dispatch(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def inspect_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def get(self, request, *args, **kwargs):
        return redirect(self.inspect_url)

    def chosen_duplicate(self):
        """The duplicate named in the form, if it is one of this registration's."""
        chosen = self.request.POST.get("other", "")
        for other in duplicates_of(self.instance):
            if str(other.pk) == chosen:
                return other
        return None


class NoteView(HygieneView):
    def post(self, request, *args, **kwargs):
        form = NoteForm(request.POST)
        if not form.is_valid():
            for error in form.errors["text"]:
                messages.error(request, error)
            return redirect(self.inspect_url)
        Note.objects.create(
            submission=self.instance,
            author=request.user,
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("Anteckningen är sparad."))
        return redirect(self.inspect_url)


class DismissDuplicateView(HygieneView):
    def post(self, request, *args, **kwargs):
        other = self.chosen_duplicate()
        if other is None:
            messages.error(request, _("Den anmälan är inte längre en möjlig dubblett."))
            return redirect(self.inspect_url)
        dismiss(self.instance, other, request.user)
        messages.success(
            request,
            _("%(reference)s är markerad som inte en dubblett.")
            % {"reference": other.reference},
        )
        return redirect(self.inspect_url)


class MergeDuplicateView(HygieneView):
    def check_action_permitted(self, user):
        return may_merge(user, self.model)

    def post(self, request, *args, **kwargs):
        other = self.chosen_duplicate()
        if other is None:
            messages.error(request, _("Den anmälan är inte längre en möjlig dubblett."))
            return redirect(self.inspect_url)
        kept = merge(self.instance, other, request.user)
        messages.success(
            request,
            _("Sammanslagen: %(reference)s är kvar, med båda anmälningarnas program.")
            % {"reference": kept.reference},
        )
        return redirect(self.url_helper.get_action_url("inspect", kept.pk))
