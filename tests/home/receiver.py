"""A webhook receiver on 127.0.0.1 for the tests: records what it is sent."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.network import free_port


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next of ``statuses`` (the last one repeats),
    after ``delay`` seconds."""

    statuses: list = field(default_factory=lambda: [200])
    delay: float = 0.0
    # Seconds between the bytes of a slow answer (0: answer at once).
    trickle: float = 0.0
    received: list = field(default_factory=list)
    port: int = 0
    # Set by ``start`` when it serves HTTPS (for the certificate's name).
    base: str = "http://127.0.0.1"

    @property
    def url(self):
        return f"{self.base}:{self.port}/hooks/skr"

    def answer(self):
        index = min(len(self.received), len(self.statuses)) - 1
        return self.statuses[index]


def handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver.received.append(Received(dict(self.headers), body))
            if receiver.delay:
                time.sleep(receiver.delay)
            if receiver.trickle:
                return self.trickle()
            status = receiver.answer()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"receiver is broken")

        def trickle(self):
            """A 200 whose headers come one byte at a time, for 3 s."""
            answer = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 15 + b"\r\n\r\n"
            for byte in answer:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(receiver.trickle if byte == ord("a") else 0)

        def log_message(self, *args):
            pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """The sender hanging up on a slow answer is what some tests want."""


def start(receiver: Receiver, tls=None):
    """Serve ``receiver`` on a free port; returns the server (``shutdown()``).

    With ``tls`` (a server-side ``ssl.SSLContext`` whose certificate names
    ``localhost``) it serves HTTPS at ``https://localhost``.
    """
    receiver.port = free_port()
    server = QuietServer(("127.0.0.1", receiver.port), handler_for(receiver))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        receiver.base = "https://localhost"
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server
