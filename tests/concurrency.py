"""Many clients at the same moment, each in a thread of its own."""

import threading

from django.db import connections
from django.test import Client


def run_at_once(func, count, *, timeout=120):
    """Call ``func(index)`` for each index below ``count``, each in a thread of
    its own, all released at the same moment; the results, in index order.

    A thread has its own database connection, as a worker process has; it is
    closed when the thread is done. What a thread raises is its result, so the
    test's assertion on the results shows it.
    """
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = func(index)
        except Exception as error:  # noqa: BLE001 - reported as the result
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def post_at_once(path, bodies):
    """POST each of ``bodies`` to ``path`` at the same moment, each from a client
    and an address of its own (as many people would); the status codes."""

    def send(index):
        client = Client(REMOTE_ADDR=f"203.0.113.{index + 1}")
        return client.post(path, bodies[index]).status_code

    return run_at_once(send, len(bodies))
