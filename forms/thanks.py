"""The thank-you page a browser is sent to after a form is accepted.

Post/redirect/get: the answer to a successful POST is a redirect, so reloading
the thank-you page sends nothing again. The reference the person can quote
travels in the URL signed, so nobody can make the page show a reference of their
choosing; it says nothing else about the submission.
"""

from typing import NamedTuple

from django.core import signing
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

THANKS_PARAM = "tack"
SALT = "forms.thanks"
# Long enough to come back to the tab, short enough that a shared link goes stale.
MAX_AGE_SECONDS = 24 * 3600


class SeeOther(HttpResponseRedirect):
    """303: the browser GETs the thank-you page, whatever the form's method."""

    status_code = 303


class Thanks(NamedTuple):
    """What the thank-you page says: the reference, and whether the submission
    waits for manual review (then no receipt was sent)."""

    reference: str
    awaits_review: bool = False


def redirect_to_thanks(page_url, reference, *, awaits_review=False):
    value = [reference, "review"] if awaits_review else reference
    token = signing.dumps(value, salt=SALT)
    return SeeOther(f"{page_url}?{urlencode({THANKS_PARAM: token})}")


def thanked(request):
    """The thanks the URL carries, or ``None`` if it is no thank-you URL."""
    token = request.GET.get(THANKS_PARAM)
    if not token:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if isinstance(value, list):
        return Thanks(value[0], awaits_review=True)
    return Thanks(value)


def what_happens_next(page, now=None, sent_for_year=None) -> str:
    """One paragraph, with a date where there is one: when interest closes,
    and that the programme managers answer after that.

    ``sent_for_year`` is the intake year a registration was sent for: a receipt
    sent (or retried) after the form moved on to the next year speaks of the
    year it was sent for, and the page's dates no longer apply to it."""
    closes = getattr(page, "closes_at", None)
    year = getattr(page, "intake_year", None)
    if year is None:
        return _("Vi läser det du skickade och svarar dig via e-post.")
    if sent_for_year is not None and sent_for_year != year:
        return _(
            "Programansvariga går igenom anmälningarna för %(year)s och hör av "
            "sig till dig om antagningen."
        ) % {"year": sent_for_year}
    if closes is None:
        return _(
            "Intresseanmälan för %(year)s är öppen tills vidare. Programansvariga "
            "hör av sig till dig om platser och nästa steg."
        ) % {"year": year}
    closes = timezone.localtime(closes)
    return _(
        "Intresseanmälan för %(year)s stänger den %(date)s. Efter det går "
        "programansvariga igenom anmälningarna och hör av sig till dig om "
        "antagningen."
    ) % {"year": year, "date": date_format(closes, "j F Y")}
