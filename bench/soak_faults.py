"""The soak test's clock, its phases and the faults it injects on a schedule.

Every request is attributed to the phase it was *sent* in, so a 5xx while Redis
was down is told apart from one in the seconds after it came back.
"""

import threading
import time
import traceback
from dataclasses import dataclass

NORMAL = "normal"
SMTP_DOWN = "smtp-down"
REDIS_DOWN = "redis-down"
PG_RESTART = "pg-restart"
PHASES = (NORMAL, SMTP_DOWN, REDIS_DOWN, PG_RESTART)


class Timeline:
    """Seconds since the traffic started, and which phase the run is in."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.phase = NORMAL
        self.history = [(0.0, NORMAL)]  # (start, phase), in order
        self._lock = threading.Lock()

    def now(self):
        return time.monotonic() - self.t0

    def enter(self, phase):
        with self._lock:
            self.phase = phase
            self.history.append((self.now(), phase))

    def spans(self, end):
        """[(phase, start, end)] for the whole run up to ``end``."""
        bounds = [*self.history[1:], (end, None)]
        return [
            (phase, start, stop)
            for (start, phase), (stop, _next) in zip(self.history, bounds, strict=True)
            if stop > start
        ]


@dataclass
class Fault:
    phase: str
    at: float  # seconds into the run
    hold: float  # seconds the service stays down
    inject: object  # callable
    recover: object  # callable
    injected_at: float | None = None
    recovered_at: float | None = None
    error: str = ""


def schedule(duration, sink, redis, postgres):
    """The three faults, spread over the run and scaled to its length.

    At the default 90 s: SMTP down 20 s from 10 s, Redis killed for 15 s from
    40 s, PostgreSQL stopped for 4 s at 67 s; the last quarter is normal again, so
    recovery shows. Shorter runs shrink the holds, never below a few seconds.
    """
    scale = duration / 90
    return [
        Fault(SMTP_DOWN, 0.11 * duration, max(5, 20 * scale), sink.stop, sink.start),
        Fault(REDIS_DOWN, 0.44 * duration, max(4, 15 * scale), redis.kill, redis.start),
        Fault(
            PG_RESTART,
            0.74 * duration,
            max(2, 4 * scale),
            lambda: postgres.stop(mode="fast"),
            postgres.start,
        ),
    ]


class FaultInjector(threading.Thread):
    """Runs the schedule: enter the phase, break the service, hold, repair it,
    back to normal. A repair that fails is recorded and ends the run early.

    ``abort`` is set only when the harness is being torn down (Ctrl-C, an error):
    then nothing is repaired, since the services are about to be destroyed.
    """

    def __init__(self, faults, timeline, abort):
        super().__init__(name="faults", daemon=True)
        self.faults = faults
        self.timeline = timeline
        self.abort = abort
        self.broken = threading.Event()

    def run(self):
        for fault in self.faults:
            if self.abort.wait(max(0, fault.at - self.timeline.now())):
                return
            if not self.inject(fault):
                self.broken.set()
                return

    def inject(self, fault):
        self.timeline.enter(fault.phase)
        fault.injected_at = self.timeline.now()
        try:
            fault.inject()
            if self.abort.wait(fault.hold):
                return True
            fault.recover()
        except Exception:  # noqa: BLE001 -- recorded and reported; the run ends
            fault.error = traceback.format_exc(limit=3)
            return False
        finally:
            fault.recovered_at = self.timeline.now()
            self.timeline.enter(NORMAL)
        return True
