"""The page behind the receipt's link: see, correct or withdraw a registration."""

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from .self_service import (
    CorrectionForm,
    Expired,
    Tampered,
    correct,
    submission_for,
    withdraw,
)

TEMPLATE = "forms/self_service.html"
GONE_TEMPLATE = "forms/self_service_gone.html"


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Ja, ta bort min intresseanmälan och mitt samtycke till att SKR "
            "behandlar mina uppgifter"
        ),
        error_messages={
            "required": gettext_lazy("Kryssa i rutan om du vill återkalla.")
        },
    )


def gone(request, heading, message, status):
    response = TemplateResponse(
        request, GONE_TEMPLATE, {"heading": heading, "message": message}, status=status
    )
    add_never_cache_headers(response)
    return response


@csrf_protect
def self_service(request, token):
    try:
        submission = submission_for(token)
    except Tampered:
        return gone(
            request,
            _("Länken fungerar inte"),
            _(
                "Länken är inte hel eller har ändrats. Kopiera hela länken från "
                "e-postmeddelandet och försök igen, eller kontakta oss och ange "
                "ditt referensnummer."
            ),
            400,
        )
    except Expired:
        return gone(
            request,
            _("Länken har gått ut"),
            _(
                "Länken i kvittot gäller en begränsad tid och har gått ut. "
                "Kontakta oss och ange ditt referensnummer, så hjälper vi dig att "
                "ändra eller återkalla din intresseanmälan."
            ),
            410,
        )
    if submission is None:
        return gone(
            request,
            _("Intresseanmälan finns inte längre"),
            _(
                "Intresseanmälan är återkallad eller borttagen. Vi har inga "
                "uppgifter kvar från den."
            ),
            410,
        )

    correction = CorrectionForm(submission=submission)
    withdrawal = WithdrawForm()
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            withdrawal = WithdrawForm(request.POST)
            if withdrawal.is_valid():
                reference = submission.reference
                withdraw(submission)
                return gone(
                    request,
                    _("Din intresseanmälan är återkallad"),
                    _(
                        "Vi har tagit bort intresseanmälan %(reference)s och dina "
                        "uppgifter i den. Du har också återkallat ditt samtycke."
                    )
                    % {"reference": reference},
                    200,
                )
        else:
            correction = CorrectionForm(request.POST, submission=submission)
            if correction.is_valid():
                correct(submission, correction.cleaned_data)
                # Post/redirect/get: a reload sends nothing again.
                return redirect(f"{request.path}?sparat=1")

    response = TemplateResponse(
        request,
        TEMPLATE,
        {
            "submission": submission,
            "answers": submission.answers(),
            "correction": correction,
            "withdrawal": withdrawal,
            "saved": request.method == "GET" and "sparat" in request.GET,
        },
        status=400 if correction.errors or withdrawal.errors else 200,
    )
    add_never_cache_headers(response)
    return response
