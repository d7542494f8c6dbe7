"""When the interest form is open, worked out from the intakes it collects for.

The intakes hold the dates (``programs.models.Intake``); the interest form
holds none of its own, so the form page, the overview, the programme pages and
the start page all read one answer and cannot contradict each other. Every
sentence readers are shown about it is written here too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programs.models import Intake, IntakeStatus

from .window import FormWindow


def window_of(intakes: Iterable[Intake], now: datetime.datetime) -> FormWindow:
    """Open while any of the year's intakes takes interest; else not yet, or closed.

    With no published intake for its year the form is closed: nothing would
    take the registrations.
    """
    statuses = {intake.shown_status_at(now) for intake in intakes}
    if IntakeStatus.INTEREST_OPEN in statuses:
        return FormWindow.OPEN
    if IntakeStatus.PLANNED in statuses:
        return FormWindow.NOT_YET_OPEN
    return FormWindow.CLOSED


def opening_of(intakes: Iterable[Intake], now: datetime.datetime):
    """When the first planned intake opens for interest, if it is known."""
    times = [
        intake.interest_opens_at
        for intake in intakes
        if intake.interest_opens_at
        and intake.interest_opens_at > now
        and intake.shown_status_at(now) == IntakeStatus.PLANNED
    ]
    return min(times, default=None)


@dataclass(frozen=True)
class NextInterest:
    """The next year's interest registration, as far as readers may know it."""

    year: int
    opens_at: datetime.datetime | None


def next_after(later_intakes: Iterable[Intake], now) -> NextInterest | None:
    """The earliest later year with a published intake, and when it opens."""
    later = sorted(later_intakes, key=lambda intake: intake.year)
    if not later:
        return None
    year = later[0].year
    times = [i.interest_opens_at for i in later if i.year == year]
    return NextInterest(year, min((t for t in times if t), default=None))


def day(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def not_open_message(year: int, opens_at, own_text: str = "") -> str:
    text = own_text or _("Intresseanmälan för %(year)s har inte öppnat ännu.") % {
        "year": year
    }
    if opens_at:
        text += " " + _("Den öppnar %(day)s.") % {"day": day(opens_at)}
    return text


def closed_message(year: int, upcoming: NextInterest | None, own_text="") -> str:
    text = own_text or _("Intresseanmälan för %(year)s är stängd.") % {"year": year}
    return " ".join([text, next_message(upcoming)]).strip()


def next_message(upcoming: NextInterest | None) -> str:
    if upcoming is None:
        return ""
    if upcoming.opens_at and upcoming.opens_at <= timezone.now():
        # Its time has come, but the form still collects for the earlier year.
        return _("Intresseanmälan för %(year)s öppnar snart.") % {"year": upcoming.year}
    if upcoming.opens_at:
        return _("Intresseanmälan för %(year)s öppnar %(day)s.") % {
            "year": upcoming.year,
            "day": day(upcoming.opens_at),
        }
    return _(
        "Intresseanmälan för %(year)s öppnar senare; datumet är inte bestämt än."
    ) % {"year": upcoming.year}


def closed_for_program_message(year: int, intake: Intake) -> str:
    """A programme that takes no interest while the form is open for others."""
    text = _("Intresseanmälan för %(year)s är stängd för det här programmet.") % {
        "year": year
    }
    return f"{text} {intake.notice}".strip() if intake.notice else text
