"""The benchmark's load generator: keep-alive HTTP/1.1 from several processes.

Python's threads share one interpreter lock, so one process would measure
itself rather than the server. ``Load`` keeps ``processes`` worker processes
alive for the whole run, each with ``threads`` threads on their own keep-alive
connection. A burst sends every thread's share of the requests at once and
returns the latencies of the expected answers, the others by status, the bytes
of the bodies, the wall time and the CPU time the client itself spent, so the
report can show whether the client kept up.
"""

import http.client
import multiprocessing
import threading
import time
from dataclasses import dataclass, field

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    port: int
    method: str
    path: str
    headers: dict
    expect: int = 200
    bodies: tuple = ()  # one per request (e.g. single-use payloads), else none


@dataclass
class Burst:
    timings: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    body_bytes: list = field(default_factory=list)
    wall: float = 0.0
    client_cpu: float = 0.0

    def add(self, other):
        self.timings += other.timings
        self.errors += other.errors
        self.body_bytes += other.body_bytes
        self.client_cpu += other.client_cpu


def one_connection(request, count, bodies, result, lock):
    conn = http.client.HTTPConnection(LOOPBACK, request.port, timeout=30)
    for number in range(count):
        body = bodies[number] if bodies else None
        started = time.perf_counter()
        try:
            conn.request(
                request.method, request.path, body=body, headers=request.headers
            )
            response = conn.getresponse()
            data = response.read()
            outcome = response.status
        except (OSError, http.client.HTTPException) as error:
            conn.close()  # the next request opens a new connection
            outcome, data = type(error).__name__, b""
        elapsed = time.perf_counter() - started
        with lock:
            if outcome == request.expect:
                result.timings.append(elapsed)
                result.body_bytes.append(len(data))
            else:
                result.errors.append(outcome)
    conn.close()


def worker(inbox, outbox, threads):
    """Serve bursts until told to stop (``None``)."""
    while (job := inbox.get()) is not None:
        request, per_thread, bodies = job
        result, lock = Burst(), threading.Lock()
        cpu = time.process_time()
        pool = [
            threading.Thread(
                target=one_connection,
                args=(
                    request,
                    per_thread,
                    bodies[n * per_thread : (n + 1) * per_thread] if bodies else (),
                    result,
                    lock,
                ),
            )
            for n in range(threads)
        ]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        result.client_cpu = time.process_time() - cpu
        outbox.put(result)


class Load:
    def __init__(self, processes, threads):
        self.threads = threads
        self.outbox = multiprocessing.Queue()
        self.inboxes = [multiprocessing.Queue() for _ in range(processes)]
        self.processes = [
            multiprocessing.Process(
                target=worker, args=(inbox, self.outbox, threads), daemon=True
            )
            for inbox in self.inboxes
        ]
        for process in self.processes:
            process.start()

    @property
    def connections(self):
        return len(self.processes) * self.threads

    def burst(self, request, count, bodies=()):
        """``count`` requests over every connection at once (rounded down to a
        multiple of the connections). ``bodies``: one per request."""
        per_thread = max(1, count // self.connections)
        per_process = per_thread * self.threads
        started = time.perf_counter()
        for index, inbox in enumerate(self.inboxes):
            share = bodies[index * per_process : (index + 1) * per_process]
            inbox.put((request, per_thread, tuple(share)))
        total = Burst()
        for _ in self.inboxes:
            total.add(self.outbox.get())
        total.wall = time.perf_counter() - started
        return total

    def close(self):
        for inbox in self.inboxes:
            inbox.put(None)
        for process in self.processes:
            process.join(timeout=10)
