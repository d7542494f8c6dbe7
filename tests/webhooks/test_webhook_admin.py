"""Administrators register webhooks and read their delivery log in the admin."""

from django.contrib.auth.models import Group, Permission

import pytest

from webhooks.models import DeliveryStatus, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db

ADD = "/admin/webhooks/new/"
LOG = "/admin/webhook_deliveries/"


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("chef", "chef@exempel.se", "x")
    client.force_login(admin)
    return client


def form(url, **overrides):
    return {
        "name": "Front-end",
        "url": url,
        "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "events": ["page.published", "snippet.saved"],
        "active": "on",
        **overrides,
    }


def test_the_add_form_offers_a_generated_secret(admin_client):
    response = admin_client.get(ADD)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="whsec_' in html, "the secret is shown, to copy to the receiver"
    assert "Sida publicerad" in html


def test_an_administrator_registers_a_webhook(admin_client):
    response = admin_client.post(ADD, form("https://93.184.215.14/hooks"))

    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert webhook.events == ["page.published", "snippet.saved"]
    assert webhook.active


def test_a_private_network_address_is_refused_in_swedish(admin_client):
    response = admin_client.post(ADD, form("http://10.0.0.5/hooks"))

    assert response.status_code == 200
    assert not Webhook.objects.exists()
    html = response.content.decode()
    assert "leder till ett internt nätverk (10.0.0.5)" in html


def test_an_ipv6_address_carrying_loopback_is_refused_in_swedish(admin_client):
    response = admin_client.post(ADD, form("http://[::ffff:0:7f00:1]/hooks"))

    assert response.status_code == 200
    assert not Webhook.objects.exists()
    assert "leder till ett internt nätverk (::ffff:0:7f00:1)" in (
        response.content.decode()
    )


def test_a_webhook_needs_an_event_and_a_proper_secret(admin_client):
    response = admin_client.post(
        ADD, form("https://93.184.215.14/hooks", events=[], secret="hemligt")
    )

    html = response.content.decode()
    assert "Välj minst en händelse." in html
    assert "Hemligheten ska vara whsec_" in html
    assert not Webhook.objects.exists()


def test_the_delivery_log_shows_status_code_and_attempts(admin_client):
    webhook = Webhook.objects.create(
        name="Byggserver", url="https://93.184.215.14/", events=["page.published"]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event="page.published",
        body="{}",
        status=DeliveryStatus.RETRYING,
        attempts=2,
        response_code=502,
        last_error="HTTP 502: Bad Gateway",
    )

    listing = admin_client.get(LOG).content.decode()
    detail = admin_client.get(f"{LOG}inspect/{delivery.pk}/").content.decode()

    assert "Byggserver" in listing
    assert "Nytt försök planerat" in listing
    assert "502" in listing
    assert "HTTP 502: Bad Gateway" in detail


def test_the_delivery_log_cannot_be_edited_even_by_a_superuser(admin_client):
    webhook = Webhook.objects.create(
        name="Byggserver", url="https://93.184.215.14/", events=["page.published"]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )

    assert admin_client.get(f"{LOG}edit/{delivery.pk}/").status_code == 302
    assert admin_client.get(f"{LOG}new/").status_code == 302
    assert f"{LOG}new/" not in admin_client.get(LOG).content.decode()


def test_communicators_see_no_webhooks(editor_client):
    assert editor_client.get("/admin/webhooks/").status_code == 302
    assert editor_client.get(LOG).status_code == 302
    assert "/admin/webhooks/" not in editor_client.get("/admin/").content.decode()


def test_a_group_may_be_given_the_log_to_read(client, django_user_model):
    group = Group.objects.create(name="Driften")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_webhookdelivery"),
    )
    user = django_user_model.objects.create_user("drift", password="x")
    user.groups.add(group)
    client.force_login(user)

    assert client.get(LOG).status_code == 200
    assert client.get("/admin/webhooks/").status_code == 302
