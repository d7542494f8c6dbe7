"""Work that must be done once across every process: one holder at a time.

Each web node and task worker runs ``publish_scheduled`` (and cron may too):
without a lock, two runs that start together both find the same due revision
and both publish it, purge it and announce it. The lock is the database's,
which every process shares and which lets go by itself when its holder dies;
the cache is no place for it (without Redis it is per process, and with Redis
down it fails open).
"""

import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

from django_tasks_db.utils import is_locked_database_exception


@contextmanager
def held_alone(name: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """A transaction in which only one process at a time holds ``name``.

    Yields True to the holder; False to a process that finds it held, which
    should then do nothing. The lock ends with the transaction, so what the
    holder did is committed before anyone else can look.

    PostgreSQL: a transaction-level advisory lock, not waited for. SQLite: the
    database's write lock, which the transaction takes as it begins
    (``transaction_mode: IMMEDIATE`` in the settings): a second run waits for
    the first to commit and then finds nothing left to do, or, if the wait
    runs out (the busy timeout), is told the lock is held.
    """
    with ExitStack() as stack:
        try:
            stack.enter_context(transaction.atomic(using=using))
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            yield False
            return
        yield take(name, connections[using])


def take(name: str, connection) -> bool:
    if connection.vendor != "postgresql":
        return True  # the transaction itself is the lock (see held_alone)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(name)])
        return cursor.fetchone()[0]


def lock_key(name: str) -> int:
    """The same advisory lock number for ``name`` in every process."""
    return zlib.crc32(name.encode())
