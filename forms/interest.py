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


def closed_for_program_message(year: int, intake: Intake | None) -> str:
    """A programme that takes no interest while the form is open for others
    (``intake`` is its intake of the year, None when it has none)."""
    text = _("Intresseanmälan för %(year)s är stängd för det här programmet.") % {
        "year": year
    }
    if intake is not None and intake.notice:
        return f"{text} {intake.notice}"
    return text


def public_status(intake: Intake, form, now: datetime.datetime) -> IntakeStatus:
    """The one status an intake is shown with, on public pages and in the admin.

    What the intake says (its dates, or its override until the dates pass it),
    except that "Intresseanmälan öppen" needs a live interest form collecting
    for the intake's year: while the form still collects for an earlier year
    the intake is planned (it opens when the form moves on); with no form, or
    one already collecting for a later year, it is closed. ``form`` is the
    live interest form, or None.
    """
    status = intake.shown_status_at(now)
    if status != IntakeStatus.INTEREST_OPEN or (
        form is not None and form.intake_year == intake.year
    ):
        return status
    if form is not None and form.intake_year < intake.year:
        # The form has not moved on to this year yet: it opens when it does.
        return IntakeStatus.PLANNED
    return IntakeStatus.INTEREST_CLOSED


@dataclass(frozen=True)
class ProgrammeIntakes:
    """A programme's published intakes as readers meet them.

    ``leading`` is the year that matters now; ``earlier`` are the years before
    it (shown collapsed as "Tidigare omgångar"), ``later`` the years after it.
    ``statuses`` holds every intake's public status by its id.
    """

    leading: Intake | None
    earlier: list[Intake]
    later: list[Intake]
    statuses: dict[int, IntakeStatus]

    def status_of(self, intake: Intake) -> IntakeStatus:
        return self.statuses[intake.pk]


# Which intake leads, in order of preference: the one a reader can register for,
# then the next one to open, then one closed for interest that has not begun.
LEADING_PREFERENCE = (
    IntakeStatus.INTEREST_OPEN,
    IntakeStatus.PLANNED,
    IntakeStatus.INTEREST_CLOSED,
    IntakeStatus.RUNNING,
)


def superseded(intake: Intake, form) -> bool:
    """Whether the live form already collects for a later year than ``intake``'s."""
    return form is not None and form.intake_year > intake.year


def programme_intakes(intakes: Iterable[Intake], form, now) -> ProgrammeIntakes:
    """Which of a programme's published intakes leads, and the rest by year.

    The intake open for interest leads; failing that the earliest one still to
    open, then the earliest closed for interest but not begun, then the latest
    running one, then the latest of all. So once next year's intake takes
    interest, last year's can only be an earlier one, never above it.
    """
    intakes = sorted(intakes, key=lambda intake: intake.year)
    statuses = {intake.pk: public_status(intake, form, now) for intake in intakes}
    leading = None
    for wanted in LEADING_PREFERENCE:
        matching = [i for i in intakes if statuses[i.pk] == wanted]
        if wanted == IntakeStatus.INTEREST_CLOSED:
            # A year the form has moved past reads as closed too; once the
            # form's own year closes, that year still leads, not the one before.
            matching.sort(key=lambda i: superseded(i, form))
        if matching:
            leading = matching[-1] if wanted == IntakeStatus.RUNNING else matching[0]
            break
    if leading is None and intakes:
        leading = intakes[-1]
    if leading is None:
        return ProgrammeIntakes(None, [], [], statuses)
    return ProgrammeIntakes(
        leading,
        [i for i in intakes if i.year < leading.year],
        [i for i in intakes if i.year > leading.year],
        statuses,
    )
