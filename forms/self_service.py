"""A registration its sender can see, correct or withdraw, without an account.

The receipt carries a link whose token is signed with the site's secret (salted
for this use only) and names the submission and its reference: nobody can make
one for someone else's registration, and a link stops working after
``SELF_SERVICE_MAX_AGE_DAYS`` or once the registration is withdrawn. The page
behind it (``self_service_views``) is the person's own: never cached, and its
posts carry Django's CSRF token.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log

from .audit_log import deleted_label
from .forms import ProgramChoiceField
from .models import InterestSubmission
from .models.fields import PROGRAM_CHOICE, Autocomplete

SALT = "forms.self_service"
CORRECTED = "forms.self_service.corrected"
WITHDRAWN = "forms.self_service.withdrawn"


class Expired(Exception):
    """A genuine link, older than the setting allows (410)."""


class Tampered(Exception):
    """A link this site did not sign (400)."""


def max_age_seconds() -> int:
    return settings.SELF_SERVICE_MAX_AGE_DAYS * 24 * 3600


def token_for(submission) -> str:
    return signing.dumps([submission.pk, submission.reference], salt=SALT)


def link_for(submission) -> str:
    """The absolute address the receipt gives (the site's base URL, not a request's)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("forms_self_service", args=[token_for(submission)])


def submission_for(token: str):
    """The registration a link names; ``None`` once it is withdrawn."""
    try:
        pk, reference = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired as error:
        raise Expired from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise Tampered from error
    return (
        InterestSubmission.objects.select_related("page")
        .filter(pk=pk, reference=reference)
        .first()
    )


# What a person may correct: the columns by the purpose that fills them.
CORRECTABLE = {
    "name": Autocomplete.NAME,
    "phone": Autocomplete.TEL,
    "organisation": Autocomplete.ORGANIZATION,
    "role": Autocomplete.ORGANIZATION_TITLE,
}


class CorrectionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=255)
    phone = forms.CharField(
        label=gettext_lazy("Telefonnummer"), max_length=40, required=False
    )
    organisation = forms.CharField(
        label=gettext_lazy("Kommun, region eller organisation"),
        max_length=255,
        required=False,
    )
    role = forms.CharField(
        label=gettext_lazy("Roll eller titel"), max_length=255, required=False
    )
    programs = ProgramChoiceField(
        label=gettext_lazy("Program du är intresserad av"), required=False
    )
    message = forms.CharField(
        label=gettext_lazy("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, submission, **kwargs):
        initial = {name: getattr(submission, name) for name in CORRECTABLE}
        initial["programs"] = list(submission.programs.all())
        message = submission.message_text()
        initial["message"] = "" if message == "–" else message
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["name"].error_messages["required"] = _("Fyll i ditt namn.")


def correct(submission, data: dict) -> None:
    """Store the corrections in the columns and in the answers as sent, so the
    inbox, the exports and the e-mails all read the corrected registration."""
    fields = submission.page.specific.get_form_fields()
    by_purpose = {field.autocomplete: field for field in fields if field.autocomplete}
    with transaction.atomic():
        for column, purpose in CORRECTABLE.items():
            setattr(submission, column, data[column])
            if purpose in by_purpose:
                submission.form_data[by_purpose[purpose].clean_name] = data[column]
        for field in fields:
            if field.field_type == PROGRAM_CHOICE:
                submission.form_data[field.clean_name] = [
                    program.title for program in data["programs"]
                ]
        message = next((f for f in fields if f.field_type == "multiline"), None)
        if message is not None:
            submission.form_data[message.clean_name] = data["message"]
        submission.save()
        submission.programs.set(data["programs"])
        log(submission, CORRECTED)


def withdraw(submission) -> None:
    """Delete the registration, and with it the consent it was sent under.

    The log keeps that it was withdrawn, labelled by reference, never the name.
    """
    with transaction.atomic():
        log(
            submission,
            WITHDRAWN,
            title=deleted_label(type(submission), submission.reference),
        )
        submission.delete()


def register_self_service_log_actions(actions):
    actions.register_action(
        CORRECTED,
        gettext_lazy("Rättad av avsändaren"),
        gettext_lazy("Intresseanmälan rättad av avsändaren via länken i kvittot"),
    )
    actions.register_action(
        WITHDRAWN,
        gettext_lazy("Återkallad av avsändaren"),
        gettext_lazy(
            "Intresseanmälan och samtycket återkallade av avsändaren via länken "
            "i kvittot"
        ),
    )
