"""CSRF for the site: Django's, except for posts to the public forms.

A public form page has no CSRF token, so one copy of it can be kept by the page
cache or a CDN and served to everyone. That is safe because a forged post to it
gains an attacker nothing:

- CSRF makes a victim's browser act with the victim's credentials. Sending a
  public form uses none: a submission is stored the same whoever sends it, and
  the session and the signed-in user are never read. An attacker can send the
  same submission directly, and the JSON API (``/api/forms/``) takes it from
  any origin by design.
- What stops a flood, forged or direct, is the same for both: a single-use
  proof-of-work solution (ALTCHA) per submission and the rate limit per client.
- A browser says where a post comes from (``Origin``): a post to a form from
  another site is still refused with a 403, so no other site can make a
  visitor's browser send our form.
- The session and CSRF cookies are ``SameSite=Lax``: a cross-site post carries
  neither.

Everything else (the admin, the login, Wagtail's password form) keeps Django's
full check.
"""

from django.middleware.csrf import REASON_BAD_ORIGIN, CsrfViewMiddleware

from wagtail.models import Page
from wagtail.views import serve

from .models.pages import SubmissionFormPage


def posts_to_public_form(request, callback, callback_args, callback_kwargs) -> bool:
    """Whether this is a post to a live public form page, as Wagtail routes it.

    The route is kept on the request, and Wagtail's ``serve`` view uses it, so
    the path must be the one ``serve`` is called with (its URL pattern's group).
    """
    if request.method != "POST" or callback is not serve:
        return False
    path = callback_kwargs.get("path", callback_args[0] if callback_args else None)
    if path is None:
        return False
    page = Page.find_for_request(request, path)
    return isinstance(page, SubmissionFormPage)


class SiteCsrfViewMiddleware(CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        if posts_to_public_form(request, callback, callback_args, callback_kwargs):
            origin = request.META.get("HTTP_ORIGIN")
            if origin is not None and not self._origin_verified(request):
                return self._reject(request, REASON_BAD_ORIGIN % origin)
            # Read the body here, as Django's check does: one too large is
            # refused (400) before any view runs.
            request.POST  # noqa: B018
            return self._accept(request)
        return super().process_view(request, callback, callback_args, callback_kwargs)
