"""Bounds on the listings' ``limit`` and ``offset``, declared where they are read.

Wagtail's v3 pagination takes any offset, and one beyond the database's
integers is a server error on PostgreSQL (and on SQLite once the limit is added
to it). No listing here has two thousand million rows, so a larger offset can
only be a mistake: refused as invalid (422), like a negative one. The limit's
maximum (``WAGTAILAPI_LIMIT_MAX``) is declared too, so the OpenAPI document
tells clients what Wagtail would otherwise refuse only when asked.
"""

import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

from ninja import Field
from ninja.pagination import LimitOffsetPagination

# The largest 32-bit integer: beyond any count or id, within every database's.
INT32_MAX = 2**31 - 1
MAX_OFFSET = INT32_MAX


def bound_pagination() -> None:
    """Give Wagtail's paginator bounded inputs; each listing's ``@paginate``
    reads them when its router is imported, so this must run first."""
    if any(
        name.startswith("wagtail.") and "api.v3.router" in name for name in sys.modules
    ):
        raise ImproperlyConfigured(
            "home.api_v3 must bound the pagination before Wagtail's v3 routers "
            "are imported."
        )
    limit_max = settings.WAGTAILAPI_LIMIT_MAX

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(default=min(20, limit_max), ge=1, le=limit_max)
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

    WagtailLimitOffsetPagination.Input = Input
