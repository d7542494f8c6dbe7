"""Admitting registrations to an intake, within its places.

The intake's row is locked while its admitted are counted and one more is
admitted, so two managers admitting the last place at the same moment cannot
both succeed: the second waits for the first to commit, then counts again.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Intake

from .models import Admission, AdmissionStatus, InterestSubmission

# The registration's own status is the most favourable of its admissions.
PRECEDENCE = [
    AdmissionStatus.ACCEPTED,
    AdmissionStatus.RESERVE,
    AdmissionStatus.DECLINED,
    AdmissionStatus.WITHDRAWN,
]


class OverCapacity(ValidationError):
    """Admitting one more would pass the intake's places."""


def intakes_for(submission):
    """The intakes a registration may be admitted to: each chosen programme's
    intake of its year."""
    return (
        Intake.objects.filter(
            program__in=submission.programs.all(), year=submission.intake_year
        )
        .select_related("program")
        .order_by("program__path")
    )


def decide(submission, intake, status, user, *, over_capacity=False):
    """Give ``submission`` ``status`` for ``intake``; returns the admission.

    Admitting past the intake's places raises ``OverCapacity`` unless
    ``over_capacity`` (the manager's "Anta ändå").
    """
    if not intakes_for(submission).filter(pk=intake.pk).exists():
        raise ValidationError(_("Anmälan gäller inte %(intake)s.") % {"intake": intake})
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        current = Admission.objects.filter(submission=submission, intake=locked)
        already = current.filter(status=AdmissionStatus.ACCEPTED).exists()
        if status == AdmissionStatus.ACCEPTED and not already and locked.places:
            admitted = locked.admissions.filter(status=AdmissionStatus.ACCEPTED).count()
            if admitted >= locked.places and not over_capacity:
                raise OverCapacity(
                    _(
                        "%(intake)s har redan %(admitted)s antagna av "
                        "%(places)s platser. Sätt anmälan som reserv, eller "
                        "kryssa i ”Anta ändå” för att anta fler än platserna."
                    )
                    % {
                        "intake": locked,
                        "admitted": admitted,
                        "places": locked.places,
                    }
                )
        admission, _created = Admission.objects.update_or_create(
            submission=submission,
            intake=locked,
            defaults={"status": status, "changed_by": user},
        )
        summarise(submission, user)
    return admission


def summarise(submission, user):
    statuses = set(submission.admissions.values_list("status", flat=True))
    best = next((status for status in PRECEDENCE if status in statuses), None)
    if best and best != submission.status:
        InterestSubmission.objects.filter(pk=submission.pk).update(
            status=best, status_changed_at=timezone.now(), status_changed_by=user
        )
        submission.status = best


@dataclass
class Capacity:
    intake: Intake
    admitted: int
    reserves: int

    @property
    def full(self):
        return bool(self.intake.places) and self.admitted >= self.intake.places

    @property
    def text(self):
        if self.intake.places:
            admitted = _("Antagna %(admitted)s av %(places)s platser") % {
                "admitted": self.admitted,
                "places": self.intake.places,
            }
        else:
            admitted = _("Antagna %(admitted)s (antal platser ej angivet)") % {
                "admitted": self.admitted
            }
        return admitted


def capacities(year):
    """Every intake of ``year`` with its admitted and reserves: one query."""
    intakes = (
        Intake.objects.filter(year=year)
        .select_related("program")
        .annotate(
            admitted=Count(
                "admissions", filter=Q(admissions__status=AdmissionStatus.ACCEPTED)
            ),
            reserves=Count(
                "admissions", filter=Q(admissions__status=AdmissionStatus.RESERVE)
            ),
        )
        .order_by("program__path")
    )
    return [Capacity(intake, intake.admitted, intake.reserves) for intake in intakes]
