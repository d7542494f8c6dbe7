"""Where a webhook may point: public hosts only, so it cannot probe the network.

A webhook URL is an administrator's input that the server then requests. Left
unchecked it would let anyone with that form reach the database, Redis or a cloud
metadata service from inside. The host is resolved and every address it has must
be public; the check runs when the webhook is saved and again at each send (DNS
can change in between), and the send connects to the address that was checked.
What is judged is always the resolved address, never the spelling: the resolver
reads ``2130706433`` or ``0x7f.1`` as 127.0.0.1, and an IPv6 answer that carries
an IPv4 address is judged as that IPv4 address.
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
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# IPv6 forms that stand for an IPv4 address: judged as that address. On a
# dual-stack socket a mapped address is the IPv4 one; a NAT64 gateway passes the
# well-known prefix on to the IPv4 address it carries (a DNS64 resolver answers
# so for an IPv4-only host).
CARRYING_IPV4 = (
    ipaddress.IPv6Network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64, well-known prefix
)
# Refused whatever they carry: obsolete forms (IPv4-compatible, IPv4-translated,
# site-local), a local translator, and tunnels (6to4 and its relay, Teredo) that
# end behind a gateway whose network nobody checked. Listed here rather than left
# to ``is_global``, whose answer for several of them depends on the Python release.
NEVER_PUBLIC = (
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible; also :: and ::1
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (SIIT)
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # NAT64, local use
    ipaddress.IPv6Network("2002::/16"),  # 6to4
    ipaddress.IPv6Network("2001::/32"),  # Teredo
    ipaddress.IPv6Network("fec0::/10"),  # site-local
    ipaddress.IPv4Network("192.88.99.0/24"),  # 6to4 relay anycast
)


def is_public(address: str) -> bool:
    """Globally routable unicast: not loopback, private, link-local, multicast,
    reserved, shared (CGNAT) or unspecified, nor an IPv6 form that carries or
    tunnels to an address that is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if any(ip in network for network in CARRYING_IPV4):
        # The last 32 bits are the IPv4 address.
        ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in network for network in NEVER_PUBLIC):
        return False
    return ip.is_global and not ip.is_multicast
