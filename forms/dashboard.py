"""The admin home panel that tells programme managers what is waiting for them."""

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from wagtail.admin.ui.components import Component

from .admin import NO_PROGRAM, PROGRAM_PARAM
from .models import InterestSubmission, Verification
from .review import UNVERIFIED_VALUE, VERIFICATION_PARAM

INBOX_URL_NAME = "intresseanmalningar_modeladmin_index"


class NewRegistrationsPanel(Component):
    """New interest registrations per programme and intake year, one query."""

    name = "new_registrations"
    order = 50
    template_name = "forms/admin/new_registrations_panel.html"

    def get_context_data(self, parent_context):
        inbox = reverse(INBOX_URL_NAME)
        waiting = urlencode({VERIFICATION_PARAM: UNVERIFIED_VALUE})
        return {
            "rows": new_registration_rows(),
            "unverified": InterestSubmission.objects.filter(
                verification=Verification.UNVERIFIED
            ).count(),
            "unverified_url": f"{inbox}?{waiting}",
        }


def new_registration_rows():
    """Counts of new registrations, each with a link to the inbox showing them."""
    new = InterestSubmission.Status.NEW
    counts = (
        InterestSubmission.objects.filter(status=new)
        .exclude(verification=Verification.UNVERIFIED)
        .values("intake_year", "programs__pk", "programs__title", "programs__path")
        .annotate(count=Count("pk"))
        .order_by("-intake_year", "programs__path")
    )
    inbox = reverse(INBOX_URL_NAME)
    rows = []
    for row in counts:
        query = {"intake_year": row["intake_year"], "status__exact": new}
        if row["programs__pk"] is None:
            query[PROGRAM_PARAM] = NO_PROGRAM
        else:
            query["program"] = row["programs__pk"]
        rows.append(
            {
                "program": row["programs__title"],
                "intake_year": row["intake_year"],
                "count": row["count"],
                "url": f"{inbox}?{urlencode(query)}",
            }
        )
    return rows
