"""What the site does about hostile clients: forged proxy headers, security
headers on every response, and the page shown when a login is locked out.

Proxy headers (``X-Forwarded-Proto``, ``X-Forwarded-For``…) are only true when
our own load balancer wrote them; anyone else can send them. Django believes
``SECURE_PROXY_SSL_HEADER`` from whoever sends it, so a client could claim to be
on HTTPS, and a forged ``X-Forwarded-For`` could make up a new client for every
rate limit. The first middleware therefore forgets those headers unless the peer
is one of ``TRUSTED_PROXIES``.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.shortcuts import render

from altcha_django.ratelimit import client_ip
from csp.middleware import CSPMiddleware

# Headers in which a proxy tells us about the client and the original request.
FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_SCHEME",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_REAL_IP",
)


@lru_cache(maxsize=8)
def trusted_networks(values: tuple[str, ...]) -> tuple:
    """``TRUSTED_PROXIES`` (IPs or CIDRs) as networks; a malformed entry trusts
    no one (altcha's system check ``altcha.E012`` reports it)."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def is_trusted_proxy(address: str) -> bool:
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyMiddleware:
    """Drop the proxy headers of a request that did not come through a trusted
    proxy. First in ``MIDDLEWARE``, so nothing reads them before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one policy per part of the site.

    ``CONTENT_SECURITY_POLICY`` is the public pages' policy; the first prefix of
    ``CONTENT_SECURITY_POLICY_BY_PATH`` that starts the path gives the admin and
    the JSON endpoints their own. A view's ``csp_*`` decorators still win.
    """

    def process_response(self, request, response):
        # Wagtail previews a page by running a made-up request for it through
        # the middleware again (``is_dummy``); the policy belongs to the admin
        # view around it, which frames the preview.
        if getattr(request, "is_dummy", False):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            parts.config = policy_for_path(request.path_info)
        return parts


def policy_for_path(path: str) -> dict | None:
    for prefix, directives in settings.CONTENT_SECURITY_POLICY_BY_PATH.items():
        if path.startswith(prefix):
            return directives
    return None


class PermissionsPolicyMiddleware:
    """Say that no page may use the camera, microphone, location and the like:
    the site needs none of them, so an injected script cannot ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def login_client_ip(request) -> str | None:
    """The address the login lockout counts (``AXES_CLIENT_IP_CALLABLE``): the
    same client as the form rate limits, or None when there is no address to
    store (a test client's login, a proxy sending nonsense)."""
    for candidate in (client_ip(request), request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def login_locked_out(request, response=None, credentials=None):
    """django-axes' answer once a user name has failed too often from one address
    (``AXES_LOCKOUT_CALLABLE``): a Swedish page, 429 with ``Retry-After``."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    locked = render(
        request,
        "login_locked_out.html",
        {"minutes": max(1, seconds // 60)},
        status=429,
    )
    locked["Retry-After"] = str(seconds)
    return locked
