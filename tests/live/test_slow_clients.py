"""A few clients sending their request slowly do not take the site down.

The production command (``gunicorn -c gunicorn.conf.py cms.wsgi``) uses threaded
workers. With two sync workers, three clients trickling their headers held both
workers and every other visitor waited for the timeout (25 s and more). Here six
such clients hang on while a normal visitor still gets answers at once.
"""

import socket
import threading
import time
import urllib.error

import pytest

from .conftest import http_get

pytestmark = pytest.mark.fault

SLOW_CLIENTS = 6
# A liveness bound, not a benchmark: a blocked server answers in 30 s or never.
ANSWER_WITHIN = 5


def trickle(port, stop, opened):
    """Open a request and send its headers a byte a second, never finishing."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        opened.release()
        while not stop.wait(1):
            try:
                sock.sendall(b"x")
            except OSError:
                return  # the server gave up on us: fine


def test_slow_clients_leave_the_site_answering(start_gunicorn, sqlite_copy):
    port, server = start_gunicorn(
        DATABASE_URL=f"sqlite:///{sqlite_copy}", PAGE_CACHE_SECONDS="0"
    )
    # Warm every worker (its first request loads the URLs and templates).
    warm = [
        threading.Thread(target=http_get, args=(port, "/robots.txt", 30))
        for _ in range(8)
    ]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join(timeout=60)

    stop, opened = threading.Event(), threading.Semaphore(0)
    slow = [
        threading.Thread(target=trickle, args=(port, stop, opened), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    for thread in slow:
        thread.start()
    try:
        for _ in slow:
            assert opened.acquire(timeout=10)
        time.sleep(1)  # the server has read what they sent and waits for more

        for _ in range(6):  # enough to meet every worker process
            started = time.monotonic()
            try:
                status, body = http_get(port, "/robots.txt", timeout=ANSWER_WITHIN)
            except (TimeoutError, urllib.error.URLError) as error:
                pytest.fail(f"no answer within {ANSWER_WITHIN} s: {error!r}")
            assert status == 200
            assert b"Sitemap" in body or b"User-agent" in body
            assert time.monotonic() - started < ANSWER_WITHIN
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
    assert server.alive
