"""Unverified submissions in the admin: kept apart, then accepted or discarded.

Someone without JavaScript can send a form without the proof of work; what they
send is stored as "Ej verifierad" (:class:`~forms.models.Verification`). The
inbox lists only verified and accepted submissions unless its "Verifiering"
filter asks for the unverified ones; a programme manager reads one and accepts
it into the inbox (change permission) or discards it (delete permission, after
a confirmation). Both are written to Wagtail's log under the person who did it.
"""

from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages
from wagtail.log_actions import log

from wagtail_modeladmin.views import InstanceSpecificView

from .models import Verification
from .permissions import may

VERIFICATION_PARAM = "verifiering"
UNVERIFIED_VALUE = "ej-verifierad"
ACCEPT_ACTION = "forms.accept_unverified"
DISCARD_ACTION = "forms.discard_unverified"


class VerificationFilter(SimpleListFilter):
    """The inbox by default; the submissions waiting for review on request.

    Django's "all" choice is the inbox here (verified and accepted), so an
    unverified submission never mixes with the others in a list or an export.
    """

    title = gettext_lazy("verifiering")
    parameter_name = VERIFICATION_PARAM

    def lookups(self, request, model_admin):
        return [(UNVERIFIED_VALUE, _("Ej verifierade, väntar på granskning"))]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("Inkorgen (verifierade och godkända)")
        return choices

    def queryset(self, request, queryset):
        if self.value() == UNVERIFIED_VALUE:
            return queryset.filter(verification=Verification.UNVERIFIED)
        return queryset.exclude(verification=Verification.UNVERIFIED)


def unverified_list_url(model_admin) -> str:
    index = model_admin.url_helper.index_url
    return f"{index}?{urlencode({VERIFICATION_PARAM: UNVERIFIED_VALUE})}"


def review_context(request, model_admin, submission) -> dict:
    """What the detail view shows of a submission waiting for review."""
    if not submission.awaits_review:
        return {}
    url_helper = model_admin.url_helper
    user = request.user
    return {
        "awaits_review": True,
        "accept_url": url_helper.get_action_url("accept", submission.pk)
        if may(user, "change", model_admin.model)
        else None,
        "discard_url": url_helper.get_action_url("discard", submission.pk)
        if may(user, "delete", model_admin.model)
        else None,
    }


class ReviewView(InstanceSpecificView):
    """Base of accept and discard: only for a submission still waiting."""

    action = ""

    @property
    def inspect_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def dispatch(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            raise PermissionDenied
        if not self.instance.awaits_review:
            messages.error(request, _("Det här formuläret väntar inte på granskning."))
            return redirect(self.inspect_url)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return redirect(self.inspect_url)


class AcceptView(ReviewView):
    """Moves an unverified submission into the inbox, like any verified one."""

    def check_action_permitted(self, user):
        return may(user, "view", self.model) and may(user, "change", self.model)

    def post(self, request, *args, **kwargs):
        submission = self.instance
        submission.verification = Verification.ACCEPTED
        submission.save(update_fields=["verification"])
        log(submission, ACCEPT_ACTION, user=request.user)
        messages.success(
            request,
            _("%(reference)s är godkänd och finns nu i inkorgen.")
            % {"reference": submission.reference},
        )
        return redirect(self.inspect_url)


class DiscardView(ReviewView):
    """Deletes an unverified submission, after a confirmation."""

    template_name = "forms/admin/discard_unverified.html"

    def check_action_permitted(self, user):
        return may(user, "view", self.model) and may(user, "delete", self.model)

    def get_page_title(self):
        return _("Ta bort ej verifierat formulär")

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(
            submission=self.instance,
            discard_url=self.url_helper.get_action_url("discard", self.pk_quoted),
            inspect_url=self.inspect_url,
        )
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        submission = self.instance
        reference = submission.reference
        # Logged first: deleting relabels the submission's entries by reference
        # (forms.audit_log), so the log keeps who discarded what, not the name.
        log(submission, DISCARD_ACTION, user=request.user)
        submission.delete()
        messages.success(
            request, _("%(reference)s är borttagen.") % {"reference": reference}
        )
        return redirect(unverified_list_url(self.model_admin))


def register_review_log_actions(actions):
    actions.register_action(
        ACCEPT_ACTION,
        gettext_lazy("Godkänn ej verifierad"),
        gettext_lazy("Ej verifierat formulär godkänt till inkorgen"),
    )
    actions.register_action(
        DISCARD_ACTION,
        gettext_lazy("Ta bort ej verifierad"),
        gettext_lazy("Ej verifierat formulär borttaget"),
    )
