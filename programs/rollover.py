"""A new programme year in one step: next year's intakes, prepared as drafts.

"Ny antagning" copies each programme's latest published intake a year ahead
(its interest window and its sessions, dates moved one year, venues and times
kept) and saves the copy as a draft, so that nothing changes for readers until
an editor has filled in the dates and published. Running it again changes
nothing: the year it prepares is the one after the latest *published* intake,
and a programme that already has an intake for that year is left alone.

The interest form is the ``forms`` app's business (``programs`` knows nothing
of it): ``forms`` listens to ``intakes_rolled_over`` to prepare the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

from dateutil.relativedelta import relativedelta

from .models import Intake, ProgramIndexPage, ProgramPage, Session

# Sent after a rollover with ``year``, ``index`` (the ProgramIndexPage), ``user``
# and ``outcome`` (the RolloverOutcome, to which receivers add what they did).
intakes_rolled_over = Signal()

COPIED_SESSION_FIELDS = (
    "days",
    "start_time",
    "end_time",
    "end_time_is_approximate",
    "venue_id",
    "evening_activity",
    "sort_order",
)


@dataclass
class RolloverOutcome:
    year: int
    created: list[Intake] = field(default_factory=list)
    existing: list[Intake] = field(default_factory=list)
    # Other things prepared for the same year, as (description, admin URL).
    prepared: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def programs_of(index: ProgramIndexPage):
    """Every programme under the index, published or not: all get a new year."""
    return ProgramPage.objects.child_of(index).order_by("path")


def rollover_year(index: ProgramIndexPage) -> int:
    """The year after the latest published intake of any of the index's programmes.

    One year for every programme, since one interest form collects interest
    for all of them; the next calendar year when nothing is published yet.
    """
    latest = Intake.objects.filter(program__in=programs_of(index), live=True).aggregate(
        year=Max("year")
    )["year"]
    return latest + 1 if latest else timezone.localdate().year + 1


def a_year_later(value):
    """The same date or moment one year on (29 February becomes 28 February)."""
    return value + relativedelta(years=1) if value is not None else None


def copy_intake(source: Intake | None, program: ProgramPage, year: int) -> Intake:
    """An unsaved draft intake for ``year`` that starts as a copy of ``source``."""
    intake = Intake(program=program, year=year, live=False)
    if source is None:
        return intake
    intake.interest_opens_at = a_year_later(source.interest_opens_at)
    intake.interest_closes_at = a_year_later(source.interest_closes_at)
    intake.sessions = [
        Session(
            date=a_year_later(session.date),
            **{name: getattr(session, name) for name in COPIED_SESSION_FIELDS},
        )
        for session in source.session_list()
    ]
    return intake


def latest_before(program: ProgramPage, year: int) -> Intake | None:
    return (
        Intake.objects.filter(program=program, year__lt=year, live=True)
        .order_by("-year")
        .with_sessions()
        .first()
    )


@transaction.atomic
def roll_over(
    index: ProgramIndexPage, user, programs: list[ProgramPage] | None = None
) -> RolloverOutcome:
    """Prepare next year's intakes (as drafts) for ``programs``, or for all."""
    year = rollover_year(index)
    outcome = RolloverOutcome(year=year)
    for program in programs if programs is not None else programs_of(index):
        existing = Intake.objects.filter(program=program, year=year).first()
        if existing is not None:
            outcome.existing.append(existing)
            continue
        intake = copy_intake(latest_before(program, year), program, year)
        intake.has_unpublished_changes = True
        intake.save()
        intake.save_revision(user=user, log_action="wagtail.create")
        outcome.created.append(intake)
    intakes_rolled_over.send(
        sender=ProgramIndexPage, year=year, index=index, user=user, outcome=outcome
    )
    return outcome


def index_of(program: ProgramPage) -> ProgramIndexPage | None:
    parent = program.get_parent()
    return parent.specific if parent is not None else None
