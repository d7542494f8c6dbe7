"""One signed POST to a checked address, with short timeouts.

Plain ``http.client`` rather than a client library: the connection must go to
the address ``addresses.check_url`` approved (not a second DNS answer), a
redirect must not be followed to somewhere unchecked, and a receiver that
hangs must let go of the worker within seconds. Socket timeouts bound each wait;
a receiver that trickles its answer a byte at a time is cut off by a deadline
for the whole exchange.
"""

import contextlib
import http.client
import socket
import ssl
import threading
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


class Deadline:
    """Shuts the connection's socket down once the exchange has taken too long,
    which ends a blocked read at once, whatever the socket timeout."""

    def __init__(self, seconds: float):
        self.expired = False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def watch(self, sock):
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                shut(sock)

    def expire(self):
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                shut(sock)


def shut(sock):
    # Already closed: nothing left to stop.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def post(target: Target, body: bytes, headers: dict) -> Response:
    """POST ``body`` to ``target``; raises OSError (timeouts included) on failure."""
    deadline = Deadline(settings.WEBHOOKS_TOTAL_TIMEOUT)
    connection = open_connection(target, deadline)
    deadline.timer.start()
    try:
        response = exchange(connection, target, body, headers)
    except (OSError, http.client.HTTPException) as error:
        if deadline.expired:
            raise too_slow() from error
        if isinstance(error, OSError):
            raise
        raise OSError(f"{type(error).__name__}: {error}") from error
    else:
        # Cut off mid-answer, http.client may still make a response of what
        # came (a status line, half the headers): that is no answer.
        if deadline.expired:
            raise too_slow()
        return response
    finally:
        deadline.timer.cancel()
        connection.close()


def too_slow():
    return TimeoutError(
        f"no complete answer within {settings.WEBHOOKS_TOTAL_TIMEOUT} s"
    )


def exchange(connection, target, body, headers) -> Response:
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


def open_connection(target: Target, deadline: Deadline) -> http.client.HTTPConnection:
    read_timeout = settings.WEBHOOKS_READ_TIMEOUT
    connection: http.client.HTTPConnection
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
    connection._create_connection = pinned_connector(  # type: ignore[attr-defined]
        target.address, deadline
    )
    return connection


def pinned_connector(address: str, deadline: Deadline):
    def connect(host_and_port, timeout, source_address=None):
        sock = socket.create_connection(
            (address, host_and_port[1]),
            settings.WEBHOOKS_CONNECT_TIMEOUT,
            source_address,
        )
        sock.settimeout(timeout)
        deadline.watch(sock)
        return sock

    return connect
