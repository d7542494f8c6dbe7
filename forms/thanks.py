"""The thank-you page a browser is sent to after a form is accepted.

Post/redirect/get: the answer to a successful POST is a redirect, so reloading
the thank-you page sends nothing again. The reference the person can quote
travels in the URL signed, so nobody can make the page show a reference of their
choosing; it says nothing else about the submission.
"""

from django.core import signing
from django.http import HttpResponseRedirect
from django.utils.http import urlencode

THANKS_PARAM = "tack"
SALT = "forms.thanks"
# Long enough to come back to the tab, short enough that a shared link goes stale.
MAX_AGE_SECONDS = 24 * 3600


class SeeOther(HttpResponseRedirect):
    """303: the browser GETs the thank-you page, whatever the form's method."""

    status_code = 303


def redirect_to_thanks(page_url, reference):
    token = signing.dumps(reference, salt=SALT)
    return SeeOther(f"{page_url}?{urlencode({THANKS_PARAM: token})}")


def thanked_reference(request):
    """The reference of the thank-you URL, or ``None`` if it is not one."""
    token = request.GET.get(THANKS_PARAM)
    if not token:
        return None
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
