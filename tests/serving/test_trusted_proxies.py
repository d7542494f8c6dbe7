"""X-Forwarded-* headers are believed only from the proxies in TRUSTED_PROXIES."""

from django.conf import settings as django_settings
from django.test import RequestFactory

import pytest

from serving.security import TrustedProxyMiddleware

pytestmark = pytest.mark.django_db

PROXY = "10.1.2.3"
STRANGER = "203.0.113.5"


@pytest.fixture
def behind_a_proxy(settings):
    """Production's TLS settings, with a load balancer in 10.0.0.0/8."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = settings.ALTCHA_TRUSTED_PROXIES = [
        "10.0.0.0/8",
        "192.0.2.7",
    ]
    return settings


def test_forged_forwarded_proto_from_a_stranger_still_gets_the_https_redirect(
    client, behind_a_proxy
):
    response = client.get("/", REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_forwarded_proto_from_the_trusted_proxy_is_believed(client, behind_a_proxy):
    response = client.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


def test_a_single_trusted_address_is_believed_too(client, behind_a_proxy):
    response = client.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


def test_without_trusted_proxies_no_one_is_believed(client, behind_a_proxy):
    behind_a_proxy.TRUSTED_PROXIES = []

    response = client.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301


def test_forged_forwarded_proto_does_not_make_a_request_secure(client, behind_a_proxy):
    behind_a_proxy.SECURE_SSL_REDIRECT = False

    response = client.get(
        "/toppolitikerprogrammen/intresseanmalan/",
        REMOTE_ADDR=STRANGER,
        HTTP_X_FORWARDED_PROTO="https",
    )

    assert response.wsgi_request.is_secure() is False


def forwarded_request(remote_addr):
    return RequestFactory().get(
        "/",
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_X_REAL_IP="198.51.100.9",
        HTTP_FORWARDED="for=198.51.100.9;proto=https",
    )


def seen_headers(request):
    seen = TrustedProxyMiddleware(lambda request: dict(request.META))(request)
    return {key for key in seen if "FORWARDED" in key or key == "HTTP_X_REAL_IP"}


def test_proxy_headers_from_a_stranger_are_dropped(behind_a_proxy):
    assert seen_headers(forwarded_request(STRANGER)) == set()


def test_proxy_headers_from_the_trusted_proxy_are_kept(behind_a_proxy):
    assert seen_headers(forwarded_request(PROXY)) == {
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_HOST",
        "HTTP_X_REAL_IP",
        "HTTP_FORWARDED",
    }


@pytest.mark.parametrize("entry", ["not-an-address", "10.0.0.0/33", ""])
def test_a_malformed_trusted_proxy_entry_trusts_no_one(behind_a_proxy, entry):
    behind_a_proxy.TRUSTED_PROXIES = [entry]

    assert seen_headers(forwarded_request(PROXY)) == set()


def test_the_proxy_check_runs_before_any_other_middleware():
    """Only the request log and the probes come first: they read no forwarding
    header (the request id is believed from a trusted peer's address alone, and
    /healthz, /readyz and /metrics use nothing of the request's origin)."""
    first = django_settings.MIDDLEWARE.index("serving.security.TrustedProxyMiddleware")
    assert django_settings.MIDDLEWARE[:first] == [
        "home.operations.RequestLogMiddleware",
        "home.operations.OperationsMiddleware",
    ]
