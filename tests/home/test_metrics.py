"""/metrics: Prometheus text behind METRICS_ENABLED and a bearer token, read back
with prometheus_client's own parser; each counter moves when its thing happens."""

import pytest

from tests.conftest import CONTACT_PATH
from tests.home.receiver import Receiver, start
from tests.metrics import BEARER, TOKEN, scrape, value
from webhooks.models import Webhook, WebhookDelivery
from webhooks.tasks import deliver_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = TOKEN


def test_metrics_are_not_there_unless_enabled(client, settings):
    settings.METRICS_ENABLED = False
    settings.METRICS_TOKEN = TOKEN

    assert client.get("/metrics", **BEARER).status_code == 404


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"]
)
def test_metrics_need_the_bearer_token(client, metrics_on, authorization):
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = client.get("/metrics", **extra)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"skr_" not in response.content


def test_no_token_set_lets_no_one_in(client, settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_requests_are_counted_by_route_name_not_by_path(client, metrics_on, seed_pages):
    before = scrape(client)

    client.get(CONTACT_PATH)
    client.get("/robots.txt")
    client.get("/finns-inte/")

    after = scrape(client)
    page = {"route": "wagtail_serve", "method": "GET", "status": "200"}
    assert value(after, "skr_http_requests_total", **page) == (
        value(before, "skr_http_requests_total", **page) + 1
    )
    robots = {"route": "robots_txt", "method": "GET", "status": "200"}
    assert value(after, "skr_http_requests_total", **robots) == (
        value(before, "skr_http_requests_total", **robots) + 1
    )
    assert (
        value(after, "skr_http_request_duration_seconds_count", route="robots_txt")
        == value(before, "skr_http_request_duration_seconds_count", route="robots_txt")
        + 1
    )
    routes = {dict(labels).get("route") for _name, labels in after}
    assert not any(route and "/" in route for route in routes), routes


def test_page_cache_hits_and_misses_are_counted(
    client, metrics_on, seed_pages, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    before = scrape(client)

    client.get(CONTACT_PATH)
    client.get(CONTACT_PATH)
    client.get(CONTACT_PATH)

    after = scrape(client)
    for result, more in (("miss", 1), ("hit", 2)):
        assert value(after, "skr_page_cache_requests_total", result=result) == (
            value(before, "skr_page_cache_requests_total", result=result) + more
        )
    hits = {"route": "page_cache", "method": "GET", "status": "200"}
    assert value(after, "skr_http_requests_total", **hits) == (
        value(before, "skr_http_requests_total", **hits) + 2
    )


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    the_receiver = Receiver()
    server = start(the_receiver)
    yield the_receiver
    server.shutdown()
    server.server_close()


def test_webhook_failures_are_counted(client, metrics_on, receiver):
    receiver.statuses = [503]
    webhook = Webhook.objects.create(
        name="Front-end", url=receiver.url, events=["page.published"]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )
    before = scrape(client)

    deliver_webhook.call(delivery.pk)

    after = scrape(client)
    name = "skr_webhook_delivery_failures_total"
    assert value(after, name, outcome="retrying") == (
        value(before, name, outcome="retrying") + 1
    )


def test_login_lockouts_are_counted(client, metrics_on, django_user_model, settings):
    django_user_model.objects.create_superuser("redaktor", "r@example.org", "rätt")
    before = scrape(client)

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": "redaktor", "password": f"fel-{attempt}"}
        )

    after = scrape(client)
    assert value(after, "skr_login_lockouts_total") == (
        value(before, "skr_login_lockouts_total") + 1
    )
