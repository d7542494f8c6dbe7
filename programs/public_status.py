"""The status readers are told an intake has, by a rule another app may give.

An intake knows what its own dates and override say (``Intake.shown_status_at``);
whether it is really open for interest also depends on the interest form, which
lives in ``forms``, an app ``programs`` may not import. ``forms`` registers its
rule here when it is ready, so the APIs (served from ``programs`` serializers)
say what the pages say. Without a registered rule the intake's own word stands.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Intake, IntakeStatus

# (intake, now, request or None) -> the status readers see. The request lets
# the rule read shared state (the live form) once per request, not per intake.
PublicStatusRule = Callable[
    ["Intake", datetime.datetime, HttpRequest | None], "IntakeStatus"
]

_rule: PublicStatusRule | None = None


def register_public_status_rule(rule: PublicStatusRule | None) -> None:
    """Make ``rule`` the one public status; None goes back to the intake's own."""
    global _rule
    _rule = rule


def public_status_of(
    intake: Intake,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> IntakeStatus:
    moment = now or timezone.now()
    if _rule is None:
        return intake.shown_status_at(moment)
    return _rule(intake, moment, request)
