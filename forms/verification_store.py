"""The store behind replay protection: a "cache" that never forgets early.

altcha-django claims each verified solution with ``cache.add`` on the cache alias
``ALTCHA_CACHE_ALIAS`` and refuses it when the add fails. Pointing that alias at
this backend puts the claims in the database (:class:`SpentVerification`), where
a unique key makes the claim atomic across workers and a Redis restart cannot
wipe them. Only what the replay check uses is implemented. The manual review's
one-time tokens are claimed here too (:func:`spend`).
"""

import datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models.verification import SpentVerification


class SpentVerificationStore(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Claim ``key``; ``False`` if it was claimed before and has not expired."""
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)
        return spend(key, timezone.now() + datetime.timedelta(seconds=seconds))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        claimed = SpentVerification.objects.filter(
            key=key, expires_at__gt=timezone.now()
        ).exists()
        return 1 if claimed else default

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return SpentVerification.objects.filter(key=key).delete()[0] > 0

    def clear(self):
        SpentVerification.objects.all().delete()

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        # Without an expiry a claim would be kept for ever: keep it a day.
        timeout = super().get_backend_timeout(timeout)
        return 86400 if timeout is None else max(0, timeout)


def spend(key: str, expires_at: datetime.datetime) -> bool:
    """Claim ``key`` until ``expires_at``: ``True`` for the one request that
    does, ``False`` for every other while the claim lasts, on any worker.

    Inside a transaction the claim commits or rolls back with it, so what the
    claim guards (a stored submission) and the claim are never apart.
    """
    now = timezone.now()
    try:
        claim(key, expires_at)
    except IntegrityError:
        # An expired claim protects nothing (what it guarded has expired too).
        renewed = SpentVerification.objects.filter(key=key, expires_at__lte=now).update(
            expires_at=expires_at
        )
        return renewed == 1
    return True


def claim(key, expires_at):
    """Insert the claim. In autocommit the INSERT is its own transaction; inside
    an outer one a savepoint keeps a refused INSERT from breaking it."""
    if connection.in_atomic_block:
        with transaction.atomic():
            SpentVerification.objects.create(key=key, expires_at=expires_at)
    else:
        SpentVerification.objects.create(key=key, expires_at=expires_at)


def purge_expired(now=None):
    """Delete claims whose solutions can no longer be used; returns the count."""
    expired = SpentVerification.objects.filter(expires_at__lte=now or timezone.now())
    return expired.delete()[0]
