"""The programme year at a glance, for the admin home: intakes, form, problems.

Per programme: the intake readers see now, the next one (a draft counts: it is
the editors' work in progress), the interest form's state, and anything that
would make pages contradict each other or leave readers without an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.admin.ui.components import Component

from programs.models import Intake, IntakeStatus, ProgramPage

from .interest import programme_intakes, public_status
from .models import InterestFormPage
from .window import FormWindow


@dataclass
class ProgramYear:
    """``current`` is the intake the programme page leads with, ``upcoming`` the
    next year after it (a draft counts); their statuses are the public ones."""

    program: ProgramPage
    current: Intake | None
    upcoming: Intake | None
    problems: list[str] = field(default_factory=list)
    current_status: IntakeStatus | None = None
    upcoming_status: IntakeStatus | None = None


def intake_problems(intake: Intake, form, now) -> list[str]:
    """What is wrong with one published intake, in words an editor can act on."""
    problems = []
    status = public_status(intake, form, now)
    if status == IntakeStatus.INTEREST_OPEN and intake.year < now.year:
        problems.append(
            _("Antagningen %(year)s tar fortfarande emot intresseanmälningar.")
            % {"year": intake.year}
        )
    if intake.shown_status_at(now) == IntakeStatus.INTEREST_OPEN and (
        form is None or form.intake_year != intake.year
    ):
        problems.append(
            _(
                "Antagningen %(year)s är öppen för intresseanmälan, men inget "
                "publicerat formulär tar emot anmälningar för %(year)s."
            )
            % {"year": intake.year}
        )
    dated = intake.dated_sessions
    closes = intake.interest_closes_at
    if closes and dated and closes > dated[0].starts_at:
        problems.append(
            _("Intresseanmälan %(year)s stänger efter den första träffen.")
            % {"year": intake.year}
        )
    if status != IntakeStatus.FINISHED:
        without_venue = sum(1 for session in intake.session_list() if not session.venue)
        if without_venue:
            problems.append(
                ngettext(
                    "%(count)s träff %(year)s saknar kursgård.",
                    "%(count)s träffar %(year)s saknar kursgård.",
                    without_venue,
                )
                % {"count": without_venue, "year": intake.year}
            )
    return problems


def form_problems(program: ProgramPage, intakes: list[Intake], form) -> list[str]:
    if form is None:
        return []
    if not any(i.year == form.intake_year and i.live for i in intakes):
        return [
            _(
                "Formuläret gäller %(year)s, men programmet har ingen publicerad "
                "antagning för %(year)s."
            )
            % {"year": form.intake_year}
        ]
    return []


def program_year(program: ProgramPage, intakes: list[Intake], form, now) -> ProgramYear:
    live = [intake for intake in intakes if intake.live]
    # The same choice and statuses as the programme page (forms.interest).
    shown = programme_intakes(live, form, now)
    current = shown.leading
    later = [i for i in intakes if current is None or i.year > current.year]
    upcoming = later[0] if later else None
    problems = form_problems(program, intakes, form)
    for intake in live:
        problems.extend(intake_problems(intake, form, now))
    return ProgramYear(
        program,
        current,
        upcoming,
        problems,
        current_status=shown.status_of(current) if current else None,
        upcoming_status=(
            public_status(upcoming, form, now)
            if upcoming is not None and upcoming.live
            else None
        ),
    )


def programme_years(now=None) -> tuple[list[ProgramYear], InterestFormPage | None]:
    """Every live programme's year, and the live interest form: four queries."""
    now = now or timezone.now()
    form = InterestFormPage.objects.live().order_by("path").first()
    programs = list(ProgramPage.objects.live().order_by("path"))
    intakes = list(
        Intake.objects.filter(program__in=programs).order_by("year").with_sessions()
    )
    years = []
    for program in programs:
        own = [intake for intake in intakes if intake.program_id == program.pk]
        # The programme's own view of its intakes, without asking again.
        program.__dict__["intake_list"] = [i for i in own if i.live]
        years.append(program_year(program, own, form, now))
    return years, form


class ProgrammeYearPanel(Component):
    """The admin home's "Programåret" panel."""

    name = "programme_year"
    order = 40
    template_name = "forms/admin/programme_year_panel.html"

    def get_context_data(self, parent_context):
        years, form = programme_years()
        state = form.window_state() if form else None
        return {
            "years": years,
            "form": form,
            "form_open": state == FormWindow.OPEN,
            "form_message": form.window_message(state) if form else "",
            "form_edit_url": (
                reverse("wagtailadmin_pages:edit", args=[form.pk]) if form else None
            ),
            "intake_edit_url": "wagtailsnippets_programs_intake:edit",
            "rollover_url": rollover_url(parent_context["request"].user),
        }


def rollover_url(user) -> str | None:
    from programs.models import ProgramIndexPage
    from programs.views import may_roll_over

    index = ProgramIndexPage.objects.order_by("path").first()
    if index is None or not may_roll_over(user):
        return None
    return reverse("programs_rollover", args=[index.pk])
