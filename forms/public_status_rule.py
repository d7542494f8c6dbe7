"""The interest form's part in an intake's public status, given to ``programs``.

``programs.public_status`` asks this rule, so the v2 and v3 APIs report each
intake with the status its programme page shows (``interest.public_status``).
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest

from programs.models import Intake, IntakeStatus

from .interest import public_status
from .live_pages import first_live_page
from .models import InterestFormPage


def intake_public_status(
    intake: Intake, now: datetime.datetime, request: HttpRequest | None
) -> IntakeStatus:
    return public_status(intake, first_live_page(request, InterestFormPage), now)
