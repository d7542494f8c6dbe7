""" "Meddela mig när anmälan öppnar": one e-mail when the interest form opens.

While the interest form is closed (or not yet open) its page offers an e-mail
field with the forms' own verification (ALTCHA, a solution spent once). The
address gets a confirmation e-mail with a signed link (double opt-in); once
confirmed, it gets ONE e-mail when the form next opens, with a link to remove
the address, and is then deleted. ``notify_interest_opening`` (run by the task
worker once a minute, and from cron) sends them; unconfirmed addresses are
deleted by ``purge_submissions`` after ``UNCONFIRMED_DAYS``.
"""

import datetime
import logging

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from altcha_django import AltchaField, AltchaMixin
from django_tasks import task

from .forms import VERIFICATION_ERRORS, VERIFICATION_HELP
from .models import InterestFormPage, OpeningSubscription
from .tasks import SEND_ERRORS
from .window import FormWindow

logger = logging.getLogger(__name__)

UNCONFIRMED_DAYS = 3
CONFIRM_SALT = "forms.opening.confirm"
UNSUBSCRIBE_SALT = "forms.opening.unsubscribe"


class NotifyForm(AltchaMixin, forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Din e-postadress"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Skriv din e-postadress."),
            "invalid": gettext_lazy("Skriv e-postadressen i formatet namn@exempel.se."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=gettext_lazy("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    altcha = AltchaField(
        label=gettext_lazy("Verifiering"),
        help_text=VERIFICATION_HELP,
        required=True,
        error_messages=VERIFICATION_ERRORS,
    )

    @property
    def honeypot(self):
        return self["website"]

    @property
    def verification(self):
        return self["altcha"]


def absolute(path):
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def confirm_url(email):
    token = signing.dumps(email, salt=CONFIRM_SALT)
    return absolute(reverse("forms_opening_confirm", args=[token]))


def unsubscribe_url(email):
    token = signing.dumps(email, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("forms_opening_unsubscribe", args=[token]))


def same_origin(request):
    """A post from another site is refused, as for the public forms
    (forms/csrf.py: the page has no CSRF token, so caches may keep it)."""
    origin = request.META.get("HTTP_ORIGIN")
    return origin is None or url_has_allowed_host_and_scheme(
        origin + "/", allowed_hosts={request.get_host()}
    )


@csrf_exempt
def subscribe(request):
    if request.method != "POST":
        return render(request, "forms/opening_subscribe.html", {"form": NotifyForm()})
    if not same_origin(request):
        raise PermissionDenied
    form = NotifyForm(request.POST)
    if not form.is_valid():
        return render(
            request, "forms/opening_subscribe.html", {"form": form}, status=400
        )
    if not form.cleaned_data["website"]:
        email = form.cleaned_data["email"].strip().lower()
        subscription, _created = OpeningSubscription.objects.get_or_create(email=email)
        if subscription.confirmed_at is None:
            transaction.on_commit(lambda: queue(send_confirmation, email))
    # The same answer for a new, a known or a trapped address: it tells no one
    # whether an address is on the list.
    return render(request, "forms/opening_thanks.html", {"step": "subscribed"})


def queue(task_function, *args):
    try:
        task_function.enqueue(*args)
    except DatabaseError:
        logger.exception("Could not queue %s", task_function)


@task()
def send_confirmation(email):
    message = EmailMessage(
        subject=_("Bekräfta att du vill få besked när anmälan öppnar"),
        body=_(
            "Hej!\n\n"
            "Någon, förhoppningsvis du, har bett om ett mejl när intresseanmälan "
            "till SKR:s toppolitikerprogram öppnar. Bekräfta med länken nedan "
            "inom %(days)s dagar:\n\n%(url)s\n\n"
            "Om det inte var du behöver du inte göra något: adressen raderas då.\n"
            "Ångrar du dig efteråt tar du bort adressen här:\n%(unsubscribe)s\n\n"
            "Sveriges Kommuner och Regioner (SKR)\n"
        )
        % {
            "days": UNCONFIRMED_DAYS,
            "url": confirm_url(email),
            "unsubscribe": unsubscribe_url(email),
        },
        to=[email],
    )
    try:
        message.send()
    except SEND_ERRORS as error:
        logger.warning("Confirmation to a subscriber failed: %s", error)
        return "failed"
    return "sent"


def email_from(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner following the link
    confirms nothing."""
    email = email_from(
        token, CONFIRM_SALT, max_age=datetime.timedelta(days=UNCONFIRMED_DAYS)
    )
    subscription = OpeningSubscription.objects.filter(email=email).first()
    if subscription is None:
        return render(request, "forms/opening_thanks.html", {"step": "invalid"})
    if request.method == "POST":
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
        return render(request, "forms/opening_thanks.html", {"step": "confirmed"})
    return render(
        request, "forms/opening_thanks.html", {"step": "confirm", "email": email}
    )


def unsubscribe(request, token):
    email = email_from(token, UNSUBSCRIBE_SALT)
    if email is None:
        return render(request, "forms/opening_thanks.html", {"step": "invalid"})
    if request.method == "POST":
        OpeningSubscription.objects.filter(email=email).delete()
        return render(request, "forms/opening_thanks.html", {"step": "removed"})
    return render(
        request, "forms/opening_thanks.html", {"step": "unsubscribe", "email": email}
    )


def interest_is_open():
    page = InterestFormPage.objects.live().first()
    return page if page and page.window_state() == FormWindow.OPEN else None


def notify_opening():
    """Queue one e-mail per confirmed address if the interest form is open;
    how many. Run again, it queues none for an address already sent to (the
    address is gone) and the task sends each once (it locks and deletes)."""
    if interest_is_open() is None:
        return 0
    pks = list(
        OpeningSubscription.objects.filter(confirmed_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for pk in pks:
        queue(send_opening, pk)
    return len(pks)


@task()
def send_opening(pk):
    page = interest_is_open()
    if page is None:
        return None
    with transaction.atomic():
        subscription = (
            OpeningSubscription.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, confirmed_at__isnull=False)
            .first()
        )
        if subscription is None:
            return None
        message = EmailMessage(
            subject=_("Nu är intresseanmälan öppen: %(title)s") % {"title": page.title},
            body=_(
                "Hej!\n\n"
                "Du bad om ett mejl när intresseanmälan till SKR:s "
                "toppolitikerprogram öppnar. Nu är den öppen:\n\n%(page)s\n\n"
                "Det här är det enda mejlet du får om detta; din adress är nu "
                "raderad hos oss. Vill du inte ha det här mejlet ändå kan du "
                "kontrollera att adressen är borttagen här:\n%(unsubscribe)s\n\n"
                "Sveriges Kommuner och Regioner (SKR)\n"
            )
            % {
                "page": page.full_url,
                "unsubscribe": unsubscribe_url(subscription.email),
            },
            to=[subscription.email],
            headers={"List-Unsubscribe": f"<{unsubscribe_url(subscription.email)}>"},
        )
        try:
            message.send()
        except SEND_ERRORS as error:
            logger.warning("The opening e-mail failed: %s", error)
            return "failed"
        subscription.delete()
    return "sent"


def purge_unconfirmed(now=None):
    cutoff = (now or timezone.now()) - datetime.timedelta(days=UNCONFIRMED_DAYS)
    stale = OpeningSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    )
    return stale.delete()[0]
