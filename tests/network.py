"""Ports on this machine for the servers tests start, or need to be absent."""

import socket


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
