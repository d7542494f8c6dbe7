"""One signed POST to a checked address, with short timeouts.

Plain ``http.client`` rather than a client library: the connection must go to
the address ``addresses.check_url`` approved (not a second DNS answer), a
redirect must not be followed to somewhere unchecked, and a receiver that
hangs must let go of the worker within seconds.
"""

import http.client
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings

from .addresses import Target

USER_AGENT = "Toppolitikerprogrammen-webhooks/1"
# Enough of an answer to show in the log; the rest is not read.
RESPONSE_BYTES = 1024


@dataclass(frozen=True)
class Response:
    status: int
    text: str


def post(target: Target, body: bytes, headers: dict) -> Response:
    """POST ``body`` to ``target``; raises OSError (timeouts included) on failure."""
    connection = open_connection(target)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        text = response.read(RESPONSE_BYTES).decode("utf-8", "replace")
        return Response(response.status, text)
    except http.client.HTTPException as error:
        raise OSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def open_connection(target: Target) -> http.client.HTTPConnection:
    read_timeout = settings.WEBHOOKS_READ_TIMEOUT
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host,
            target.port,
            timeout=read_timeout,
            context=ssl.create_default_context(),
        )
    else:
        connection = http.client.HTTPConnection(
            target.host, target.port, timeout=read_timeout
        )
    # Host header and TLS name stay the host's; the socket goes to the address
    # that was checked, whatever DNS answers now.
    connection._create_connection = pinned_connector(target.address)
    return connection


def pinned_connector(address: str):
    def connect(host_and_port, timeout, source_address=None):
        sock = socket.create_connection(
            (address, host_and_port[1]),
            settings.WEBHOOKS_CONNECT_TIMEOUT,
            source_address,
        )
        sock.settimeout(timeout)
        return sock

    return connect
