"""Where a webhook may point: public hosts only, so it cannot probe the network.

A webhook URL is an administrator's input that the server then requests. Left
unchecked it would let anyone with that form reach the database, Redis or a cloud
metadata service from inside. The host is resolved and every address it has must
be public; the check runs when the webhook is saved and again at each send (DNS
can change in between), and the send connects to the address that was checked.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """A checked URL: its parts and the address the request must go to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def allowed_schemes() -> tuple[str, ...]:
    return ("https",) if settings.WEBHOOKS_REQUIRE_HTTPS else ("http", "https")


def check_url(url: str) -> Target:
    """The target of ``url`` if it may be called; ValidationError (Swedish) if not."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in allowed_schemes():
        raise ValidationError(_("Adressen måste börja med https://."), code="scheme")
    if not parts.hostname:
        raise ValidationError(_("Adressen saknar värdnamn."), code="host")
    if parts.username or parts.password:
        raise ValidationError(
            _("Adressen får inte innehålla användarnamn eller lösenord."),
            code="credentials",
        )
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as error:
        raise ValidationError(_("Portnumret är ogiltigt."), code="port") from error
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    address = public_address(parts.hostname, port)
    return Target(scheme, parts.hostname, port, path, address)


def public_address(host: str, port: int) -> str:
    """The first address of ``host``, after checking that all of them are public."""
    addresses = resolve(host, port)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS:
        for address in addresses:
            if not is_public(address):
                raise ValidationError(
                    _(
                        "Adressen leder till ett internt nätverk (%(address)s): "
                        "webbhookar får bara gå till publika adresser."
                    )
                    % {"address": address},
                    code="private",
                )
    return addresses[0]


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ValidationError(
            _("Värdnamnet %(host)s kunde inte slås upp.") % {"host": host},
            code="dns",
        ) from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public(address: str) -> bool:
    """Globally routable unicast: not loopback, private, link-local, multicast,
    reserved, shared (CGNAT) or unspecified, also when written as IPv4-in-IPv6."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not ip.is_multicast
