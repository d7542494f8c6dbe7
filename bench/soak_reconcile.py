"""After the traffic: let the e-mail drain, then compare what was acknowledged
with what the database stored and what the SMTP sink received."""

import email.utils
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import psycopg
from soak_traffic import EMAIL_DOMAIN, REPLAY, SUBMITS

SUBMISSIONS = "forms_interestsubmission"
TASKS = "django_tasks_database_dbtaskresult"
UNFINISHED = ("pending", "failed")
# Each stored row by its submitter's address: the e-mail column, or, should that
# ever be left empty, the soak address found in the submitted data, else "row <id>".
ROWS = f"""
    SELECT coalesce(lower(nullif(email, '')),
                    substring(form_data::text from 'soak-[^"@]*@example[.]se'),
                    'row ' || id),
           id, notification_state, receipt_state, delivery_attempts, delivery_error
    FROM {SUBMISSIONS}
"""


def query(db_url, sql, params=()):
    with psycopg.connect(db_url, connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def undelivered(db_url):
    """Messages not yet sent (or skipped) for stored submissions."""
    rows = query(
        db_url,
        f"SELECT (notification_state = ANY(%s))::int + (receipt_state = ANY(%s))::int"
        f" FROM {SUBMISSIONS}",
        (list(UNFINISHED), list(UNFINISHED)),
    )
    return sum(count for (count,) in rows)


def tasks_due(db_url):
    """Queued tasks the worker has still to run (due now or running)."""
    ((count,),) = query(
        db_url,
        f"SELECT count(*) FROM {TASKS} WHERE status = 'RUNNING'"
        f" OR (status = 'READY' AND run_after <= now())",
    )
    return count


def fast_forward_retries(db_url):
    """Make deferred retries due now, so they run while we watch.

    A retry queued during the SMTP outage waits a minute or more; by then its
    message has been sent by another attempt, and running it must send nothing.
    Only our private database is changed. The far-future date django-tasks-db
    uses for "no run_after" is left alone (it is already due).
    """
    with psycopg.connect(db_url, connect_timeout=5) as conn:
        cursor = conn.execute(
            f"UPDATE {TASKS} SET run_after = now() WHERE status = 'READY'"
            " AND run_after > now() AND run_after < '9000-01-01'"
        )
        return cursor.rowcount


def poll(condition, seconds):
    """Wait until ``condition()`` is falsy; returns its last value (0 = done)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if not value or time.monotonic() >= deadline:
            return value
        time.sleep(1)


def drain(db_url, seconds, retry_command, say):
    """The steps a person on call would take, recorded for the report."""
    steps = []
    started = time.monotonic()
    left = poll(lambda: undelivered(db_url), seconds)
    waited = time.monotonic() - started
    if left:
        steps.append(f"worker: {left} message(s) still unsent after {seconds} s")
    elif waited < 1:
        steps.append("worker: every message already sent when the traffic stopped")
    else:
        steps.append(
            f"worker: every message sent {waited:.0f} s after the traffic stopped"
        )
    if left:
        say("running retry_failed_deliveries --pending-after-minutes 0")
        retry_command()
        left = poll(lambda: undelivered(db_url), seconds)
        steps.append(
            f"retry_failed_deliveries --pending-after-minutes 0, then the worker: "
            f"{left} message(s) still unsent after {seconds} s"
        )
    moved = fast_forward_retries(db_url)
    due = poll(lambda: tasks_due(db_url), seconds)
    steps.append(
        f"deferred retries made due now: {moved}; tasks still due after: {due}"
    )
    return steps, left


# --- Matching ------------------------------------------------------------------


def address(header):
    """The soak submitter's address in a header ("soak-…@example.se"), if any."""
    found = [addr.lower() for _name, addr in email.utils.getaddresses([header])]
    return next(
        (a for a in found if a.startswith("soak-") and a.endswith("@" + EMAIL_DOMAIN)),
        "",
    )


def count_mail(mails):
    """Notifications (Reply-To: the submitter) and receipts (To: the submitter)
    per submitter address; anything else is unmatched."""
    notifications, receipts, unmatched = Counter(), Counter(), []
    for mail in mails:
        if reply_to := address(mail.reply_to):
            notifications[reply_to] += 1
        elif to := address(mail.to):
            receipts[to] += 1
        else:
            unmatched.append(mail)
    return notifications, receipts, unmatched


@dataclass
class Ledger:
    """Per submission e-mail address: was it acknowledged, how often stored and
    mailed. Every question the report asks is a count over this."""

    acked: dict = field(default_factory=dict)  # email -> kind
    sent: dict = field(default_factory=dict)  # email -> kind (any outcome)
    replays: dict = field(default_factory=dict)  # email -> acknowledged?
    rows: dict = field(default_factory=lambda: defaultdict(list))
    notifications: Counter = field(default_factory=Counter)
    receipts: Counter = field(default_factory=Counter)
    unmatched: list = field(default_factory=list)

    @classmethod
    def build(cls, results, db_url, mails):
        ledger = cls()
        for result in results:
            if result.kind in SUBMITS:
                ledger.sent[result.email] = result.kind
                if result.ok:
                    ledger.acked[result.email] = result.kind
            elif result.kind == REPLAY:
                ledger.replays[result.email] = result.ok
        for row in query(db_url, ROWS):
            ledger.rows[row[0]].append(row[1:])
        ledger.notifications, ledger.receipts, ledger.unmatched = count_mail(mails)
        return ledger

    def stored(self):
        return {address for address, rows in self.rows.items() if rows}

    def lost(self):
        """Acknowledged, yet not in the database."""
        return sorted(set(self.acked) - self.stored())

    def duplicated(self):
        return sorted(a for a, rows in self.rows.items() if len(rows) > 1)

    def stored_unacked(self):
        return sorted(self.stored() - set(self.acked) - set(self.replays))

    def unknown_rows(self):
        """Rows whose address no client sent: should never exist."""
        return sorted(self.stored() - set(self.sent) - set(self.replays))

    def accepted_replays(self):
        return sorted(address for address, ok in self.replays.items() if ok)

    def mail_problems(self, counter):
        """Stored submissions whose message did not arrive exactly once, and
        messages for addresses never stored."""
        missing = sorted(a for a in self.stored() if counter[a] == 0)
        doubled = sorted(a for a in self.stored() if counter[a] > 1)
        stray = sorted(a for a in counter if a not in self.stored())
        return missing, doubled, stray
