"""The soak test's tables and verdict: plain text, printed and written to a file.

``render(run, ledger)`` reads from the run: ``config``, ``results``,
``timeline``, ``end``, ``faults``, ``worker``, ``web``, ``drain_steps``,
``replays``, ``base`` (the log directory).
"""

import csv
import dataclasses
import json
import math
import re
import time
from collections import Counter

from soak_faults import PHASES, REDIS_DOWN
from soak_traffic import KINDS, READS, SUBMITS


def unanswered_or_5xx(result):
    return result.status is None or result.status >= 500


def percentile(values, q):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def request_table(results):
    """Per kind: count, success rate, latency, and 5xx or no answer per phase."""
    lines = [
        f"{'requests':<12} {'count':>6} {'ok %':>6} {'p50 ms':>7} {'p99 ms':>7}   "
        "5xx or no answer by phase: " + " ".join(f"{phase:>10}" for phase in PHASES)
    ]
    for kind in KINDS:
        mine = [r for r in results if r.kind == kind]
        if not mine:
            continue
        ok = sum(r.ok for r in mine)
        times = [r.ms for r in mine if r.status is not None]
        failures = Counter(r.phase for r in mine if unanswered_or_5xx(r))
        lines.append(
            f"{kind:<12} {len(mine):>6} {100 * ok / len(mine):>6.1f} "
            f"{percentile(times, 0.5):>7.1f} {percentile(times, 0.99):>7.1f}   "
            + " " * 27
            + " ".join(f"{failures[phase]:>10}" for phase in PHASES)
        )
    return lines


def status_lines(results):
    """Every answer by kind, phase and status, so nothing hides in a rate."""
    lines = []
    for kind in KINDS:
        for phase in PHASES:
            statuses = Counter(
                str(r.status or "none")
                for r in results
                if r.kind == kind and r.phase == phase
            )
            if statuses:
                shown = ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))
                lines.append(f"  {kind:<12} {phase:<10} {shown}")
    return lines


def refusal_lines(results, limit=8):
    """Why submissions were not acknowledged (problem details, form errors)."""
    reasons = Counter(
        (r.kind, r.phase, r.status or "none", r.note)
        for r in results
        if r.kind in SUBMITS and not r.ok
    )
    return [
        f"  {n:>4} × {kind} {phase} {status} {note}".rstrip()
        for (kind, phase, status, note), n in reasons.most_common(limit)
    ]


def phase_lines(spans, results):
    """Per phase: traffic, latency of reads, failed reads (when they were sent
    and answered: a read sent just before a fault can fail in it), and how many
    submissions were acknowledged."""
    lines = []
    for phase, start, end in spans:
        sent = [r for r in results if start <= r.sent_at < end]
        reads = [r for r in sent if r.kind in READS]
        bad = [r for r in reads if unanswered_or_5xx(r)]
        subs = [r for r in sent if r.kind in SUBMITS]
        times = [r.ms for r in reads if r.status is not None]
        lines.append(
            f"  {phase:<10} {start:5.1f}–{end:5.1f} s {len(sent):>6} requests, "
            f"reads p50/p99 {percentile(times, 0.5):.0f}/"
            f"{percentile(times, 0.99):.0f} ms, {len(bad)} reads 5xx/unanswered"
            + (f" ({when(bad)})" if bad else "")
            + f", {sum(r.ok for r in subs)}/{len(subs)} submissions acknowledged"
        )
    return lines


def when(results):
    sent = [r.sent_at for r in results]
    answered = [r.sent_at + r.ms / 1000 for r in results]
    return (
        f"sent {min(sent):.1f}–{max(sent):.1f} s, "
        f"answered {min(answered):.1f}–{max(answered):.1f} s"
    )


def submission_lines(ledger):
    stored = ledger.stored()
    lines = [
        f"{'submissions':<12} {'sent':>6} {'acked':>6} {'stored':>7} "
        f"{'notified':>9} {'receipted':>10}"
    ]
    for kind in SUBMITS:
        acked = [a for a, k in ledger.acked.items() if k == kind]
        lines.append(
            f"{kind:<12} {sum(k == kind for k in ledger.sent.values()):>6} "
            f"{len(acked):>6} {sum(a in stored for a in acked):>7} "
            f"{sum(ledger.notifications[a] == 1 for a in acked):>9} "
            f"{sum(ledger.receipts[a] == 1 for a in acked):>10}"
        )
    return lines


def verdict(ledger, results, faults, stopped_early=""):
    """Each way the run failed, as a sentence; empty when it passed."""
    problems = [f"the traffic stopped early: {stopped_early}"] if stopped_early else []

    def check(items, what):
        if items:
            shown = ", ".join(items[:5]) + (" …" if len(items) > 5 else "")
            problems.append(f"{len(items)} {what}: {shown}")

    check(ledger.lost(), "acknowledged submission(s) not stored")
    check(ledger.duplicated(), "submission(s) stored more than once")
    check(ledger.unknown_rows(), "stored row(s) no client sent")
    for label, counter in (
        ("notification", ledger.notifications),
        ("receipt", ledger.receipts),
    ):
        missing, doubled, stray = ledger.mail_problems(counter)
        check(missing, f"stored submission(s) without a {label}")
        check(doubled, f"stored submission(s) with more than one {label}")
        check(stray, f"{label}(s) for a submission never stored")
    bad_reads = Counter(
        f"{r.kind} {r.status or r.note}"
        for r in results
        if r.kind in READS and r.phase == REDIS_DOWN and unanswered_or_5xx(r)
    )
    if bad_reads:
        shown = ", ".join(f"{what} ×{n}" for what, n in bad_reads.most_common())
        problems.append(
            f"{bad_reads.total()} read(s) 5xx or unanswered while Redis was down: "
            + shown
        )
    check(ledger.accepted_replays(), "spent verification(s) accepted again")
    for fault in faults:
        if fault.error or fault.injected_at is None:
            problems.append(f"fault {fault.phase} not completed: {fault.error}")
    return problems


def exception_lines(text):
    """The line each traceback ends with: the exception and its message, from
    plain tracebacks and from JSON log lines (production's) that carry one."""
    lines, in_traceback = [], False
    for line in text.splitlines():
        logged = json_exception(line)
        if logged:
            lines.append(logged.strip().splitlines()[-1])
        elif line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and line and not line[0].isspace():
            lines.append(line)
            in_traceback = False
    return lines


def json_exception(line):
    if not line.startswith("{"):
        return None
    try:
        return json.loads(line).get("exception")
    except (ValueError, AttributeError):
        return None


def log_evidence(path, limit=8):
    """A log's tracebacks, counted by how they end (numbers blurred, so the same
    error on another port or pid counts as one)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return []
    found = Counter(re.sub(r"\d+", "N", line)[:140] for line in exception_lines(text))
    lines = [f"  {path.name}: {sum(found.values())} traceback(s)"]
    lines += [f"    {n:>5} × {line}" for line, n in found.most_common(limit)]
    return lines


def ledger_lines(ledger, replays):
    missing_notifications = ledger.mail_problems(ledger.notifications)[0]
    missing_receipts = ledger.mail_problems(ledger.receipts)[0]
    return [
        f"duplicates: {len(ledger.duplicated())} stored twice, "
        f"{sum(n > 1 for n in ledger.notifications.values())} notified twice, "
        f"{sum(n > 1 for n in ledger.receipts.values())} receipted twice",
        f"lost: {len(ledger.lost())} acknowledged but not stored, "
        f"{len(missing_notifications)} without notification, "
        f"{len(missing_receipts)} without receipt (after the faults and the drain)",
        f"stored though not acknowledged: {len(ledger.stored_unacked())}; "
        f"mail not for a submission: {len(ledger.unmatched)}",
        "replay of a verification spent before Redis was killed: "
        + ("; ".join(f"{when}: {what}" for when, what in replays.items()) or "-"),
    ]


def fault_lines(faults, worker):
    lines = [
        f"  {f.phase:<10} at {f.injected_at or 0:5.1f} s, held {f.hold:4.1f} s, "
        f"repaired at {f.recovered_at or 0:5.1f} s {f.error}".rstrip()
        for f in faults
    ]
    exits = ", ".join(f"{code} at {at:.0f} s" for at, code in worker.exits)
    lines.append(
        f"worker restarts: {worker.restarts}"
        + (f" (exit codes {exits})" if exits else "")
    )
    return lines


def render(run, ledger):
    """The whole report as text, and the list of problems (empty: passed)."""
    problems = verdict(ledger, run.results, run.faults, run.stopped_early)
    config = run.config
    lines = [
        f"Soak test, {time.strftime('%Y-%m-%d %H:%M')}: {config.seconds} s, "
        f"{config.clients} clients, `gunicorn {' '.join(run.web.args[3:])}`, "
        f"worker `{run.worker.cmd[-1]}`",
        "",
        *request_table(run.results),
        "",
        *submission_lines(ledger),
        "",
        *ledger_lines(ledger, run.replays.outcomes),
        "",
        "phases (requests by the phase they were sent in):",
        *phase_lines(run.timeline.spans(run.end), run.results),
        "",
        "faults injected:",
        *fault_lines(run.faults, run.worker),
        "drain:",
        *(f"  {step}" for step in run.drain_steps),
        "",
        "answers by kind, phase and status:",
        *status_lines(run.results),
        "submissions not acknowledged, most frequent reasons:",
        *(refusal_lines(run.results) or ["  none"]),
        "",
        f"exceptions in the logs ({run.base}):",
        *log_evidence(run.base / "gunicorn.log"),
        *log_evidence(run.base / "worker.log"),
        "",
        "FAIL" if problems else "PASS",
        *(f"  - {problem}" for problem in problems),
    ]
    return "\n".join(lines) + "\n", problems


def write_results(path, results):
    """Every request as a CSV row (sent_at, phase, kind, status, ms, ...), to
    line a 5xx up with the logs."""
    fields = [f.name for f in dataclasses.fields(results[0])] if results else []
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for result in sorted(results, key=lambda r: r.sent_at):
            writer.writerow(dataclasses.asdict(result))
