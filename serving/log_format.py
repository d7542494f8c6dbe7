"""Log lines as JSON, each with the id of the request (or task) it belongs to.

A log collector reads one JSON object a line; the request id ties a request's
line to what it logged, to the error page its reader saw ("Felkod") and to the
e-mail the worker later sent for it. Imported by every app and by
``gunicorn.conf.py``, so it imports nothing from them (nor Django's settings).
"""

import json
import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# The request (or the task queued by one) being handled in this thread.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# What an id from a proxy may look like: a UUID, a trace id, nothing that could
# break a log line or a header, or carry much.
TRUSTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

# The attributes every LogRecord has; anything else was passed with ``extra``.
RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def acceptable_request_id(value: str | None) -> str | None:
    """``value`` if it may serve as a request id as it is, else None."""
    if value and TRUSTED_ID.fullmatch(value):
        return value
    return None


@contextmanager
def request_id_as(value: str):
    """Log under ``value`` for the duration (a request, or a task it queued)."""
    token = current_request_id.set(value or "")
    try:
        yield
    finally:
        current_request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, the
    request id when there is one, the fields given with ``extra`` and, for an
    exception, its traceback as one string."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in RECORD_ATTRIBUTES and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
