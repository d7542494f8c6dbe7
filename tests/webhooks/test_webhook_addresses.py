"""Webhook addresses: only public hosts, however the address is written or resolved.

An IPv6 address can carry an IPv4 one (mapped, compatible, translated, NAT64,
6to4, Teredo) and an IPv4 address can be written as one number, in octal or in
hex; a DNS name can answer with any of these by the time a delivery is sent.
"""

import socket

from django.core.exceptions import ValidationError

import pytest

from webhooks import addresses
from webhooks.addresses import check_url
from webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from webhooks.tasks import deliver_webhook

INTERNAL = [
    # IPv4, in the usual and the unusual spellings of loopback.
    "http://127.0.0.1/hook",
    "http://2130706433/hook",
    "http://0x7f.1/hook",
    "http://0x7f000001/hook",
    "http://0177.0.0.1/hook",
    "http://127.1/hook",
    "http://localhost:8000/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://0.0.0.0/hook",
    "http://100.64.0.1/hook",
    "http://224.0.0.1/hook",
    "http://198.18.0.1/hook",
    # The 6to4 relay anycast: it unwraps to an IPv6 address nobody checked.
    "http://192.88.99.1/hook",
    # IPv6 of its own.
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[fe80::1]/hook",
    "http://[fec0::1]/hook",
    "http://[fd12:3456::1]/hook",
    "http://[ff02::1]/hook",
    "http://[ff0e::1]/hook",
    "http://[2001:db8::1]/hook",
    "http://[100::1]/hook",
    # IPv6 carrying an internal IPv4 address.
    "http://[::ffff:10.0.0.1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://[::7f00:1]/hook",
    "http://[::127.0.0.1]/hook",
    "http://[::ffff:0:7f00:1]/hook",
    "http://[::ffff:0:a9fe:a9fe]/hook",
    "http://[64:ff9b::7f00:1]/hook",
    "http://[64:ff9b::a9fe:a9fe]/hook",
    "http://[64:ff9b:1::a00:1]/hook",
    "http://[2002:7f00:1::1]/hook",
    "http://[2002:a00:1::1]/hook",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook",
    # The same transition forms refuse a public IPv4 too: compatible and
    # translated are obsolete, and 6to4 and Teredo end behind a gateway whose
    # network nobody checked.
    "http://[::5db8:d70e]/hook",
    "http://[::ffff:0:5db8:d70e]/hook",
    "http://[2002:5db8:d70e::1]/hook",
    "http://[2001:0:5db8:d70e::1]/hook",
    "http://[64:ff9b:1::5db8:d70e]/hook",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused(url):
    with pytest.raises(ValidationError) as refused:
        check_url(url)
    assert "internt nätverk" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://93.184.215.14/hook", "93.184.215.14"),
        ("http://[2606:4700:4700::1111]/hook", "2606:4700:4700::1111"),
        # A DNS64 answer for an IPv4-only receiver: the NAT64 gateway passes it
        # on to that public IPv4 address.
        ("http://[64:ff9b::5db8:d70e]/hook", "64:ff9b::5db8:d70e"),
        # On a dual-stack socket this is the public IPv4 address itself.
        ("http://[::ffff:93.184.215.14]/hook", "::ffff:93.184.215.14"),
    ],
)
def test_public_addresses_are_accepted(url, address):
    assert check_url(url).address == address


@pytest.mark.parametrize(
    "url", ["http://[::7f00:1]/hook", "http://[64:ff9b::a00:1]/", "http://0x7f.1/"]
)
def test_private_networks_may_be_allowed_by_the_setting(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    assert check_url(url).address


@pytest.fixture
def dns(monkeypatch):
    """``hooks.example.se`` resolves to what the test says; other names as usual."""
    answers = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in answers[host]
        ]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "resolved",
    [
        ["::ffff:127.0.0.1"],
        ["::ffff:0:a9fe:a9fe"],
        ["64:ff9b::a00:1"],
        ["2002:c0a8:1::1"],
        # One internal address among public ones is enough to refuse.
        ["93.184.215.14", "::7f00:1"],
    ],
)
def test_a_name_resolving_to_an_embedded_internal_address_is_refused(dns, resolved):
    dns["hooks.example.se"] = resolved
    with pytest.raises(ValidationError) as refused:
        check_url("https://hooks.example.se/skr")
    assert "internt nätverk" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_name_that_resolves_internal_by_send_time_is_not_called(dns, monkeypatch):
    """Saved while public; by the send, DNS answers with the cloud metadata
    address through NAT64."""
    dns["hooks.example.se"] = ["93.184.215.14"]
    webhook = Webhook.objects.create(
        name="Front-end", url="https://hooks.example.se/skr", events=["page.published"]
    )
    webhook.full_clean()
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )
    dns["hooks.example.se"] = ["64:ff9b::a9fe:a9fe"]

    def connect(*args, **kwargs):
        raise AssertionError(f"a connection was opened: {args}")

    monkeypatch.setattr(socket, "create_connection", connect)

    deliver_webhook.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert "internt nätverk (64:ff9b::a9fe:a9fe)" in delivery.last_error
