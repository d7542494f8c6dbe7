"""The last part of "Ny antagning": check a year, see it, publish it at once.

The rollover leaves drafts: one intake per programme and the interest form
moved to the new year. Published one by one, readers meet a half-done year in
between (a form for 2026 above intakes still saying 2025). Here the year's
drafts are checked together (dates, sessions, the form's year), shown as
readers will see them, and published in one transaction with one log entry.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log

from programs.models import Intake

from .models import InterestFormPage

PUBLISHED = "forms.year_published"


@dataclass
class IntakeDraft:
    intake: Intake  # the stored row
    draft: Intake  # its latest revision, as readers will see it once published
    sessions: list
    problems: list[str] = field(default_factory=list)

    @property
    def unpublished(self) -> bool:
        return not self.intake.live or self.intake.has_unpublished_changes


@dataclass
class YearDrafts:
    year: int
    intakes: list[IntakeDraft]
    forms: list  # (live form page, its latest revision's object)
    problems: list[str] = field(default_factory=list)

    @property
    def all_problems(self) -> list[str]:
        return [*self.problems, *(p for i in self.intakes for p in i.problems)]

    @property
    def ready(self) -> bool:
        return bool(self.intakes) and not self.all_problems


def when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y H.i")


def intake_problems(item: IntakeDraft, now) -> list[str]:
    draft, name = item.draft, str(item.draft)
    problems = []
    if draft.interest_opens_at is None:
        problems.append(
            _("%(intake)s: datum när intresseanmälan öppnar saknas.") % {"intake": name}
        )
    if draft.interest_closes_at is None:
        problems.append(
            _("%(intake)s: sista dag för intresseanmälan saknas.") % {"intake": name}
        )
    opens, closes = draft.interest_opens_at, draft.interest_closes_at
    if opens and closes and closes <= opens:
        problems.append(
            _("%(intake)s: intresseanmälan stänger innan den öppnar.")
            % {"intake": name}
        )
    if closes and closes < now:
        problems.append(
            _(
                "%(intake)s: sista dag för intresseanmälan (%(date)s) har redan "
                "passerat."
            )
            % {"intake": name, "date": when(closes)}
        )
    dated = sorted(s.date for s in item.sessions if s.date)
    if dated and closes and dated[0] < timezone.localtime(closes).date():
        problems.append(
            _("%(intake)s: första träffen är före sista dag för intresseanmälan.")
            % {"intake": name}
        )
    return problems


def year_drafts(year: int, now=None) -> YearDrafts:
    now = now or timezone.now()
    items = []
    for intake in (
        Intake.objects.filter(year=year)
        .select_related("program")
        .order_by("program__path")
    ):
        draft = intake.get_latest_revision_as_object()
        item = IntakeDraft(intake, draft, list(draft.sessions.all()))
        item.problems = intake_problems(item, now)
        items.append(item)
    forms = []
    for page in InterestFormPage.objects.order_by("path"):
        draft = page.get_latest_revision_as_object()
        if draft.intake_year == year:
            forms.append((page, draft))
    drafts = YearDrafts(year, items, forms)
    if not items:
        drafts.problems.append(
            _("Det finns inga antagningar för %(year)s.") % {"year": year}
        )
    if not forms:
        drafts.problems.append(
            _(
                "Inget intresseformulär är flyttat till %(year)s: gör Ny antagning "
                "först."
            )
            % {"year": year}
        )
    return drafts


def publish_year(drafts: YearDrafts, user) -> int:
    """Publish every unpublished intake and form of the year; all or nothing."""
    count = 0
    with transaction.atomic():
        for item in drafts.intakes:
            if item.unpublished:
                item.intake.get_latest_revision().publish(user=user)
                count += 1
        for page, _draft in drafts.forms:
            revision = page.get_latest_revision()
            if revision and (not page.live or page.has_unpublished_changes):
                revision.publish(user=user)
                count += 1
        for page, _draft in drafts.forms:
            log(
                page,
                PUBLISHED,
                user=user,
                data={"year": drafts.year, "published": count},
            )
    return count


def register_year_publish_log_action(actions):
    actions.register_action(
        PUBLISHED,
        gettext_lazy("Antagningsår publicerat"),
        gettext_lazy("Årets antagningar och intresseformulär publicerade tillsammans"),
    )
