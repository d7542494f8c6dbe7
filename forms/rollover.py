"""The interest form's part of "Ny antagning": a draft of the form for the new year.

``programs.rollover`` prepares the intakes and sends ``intakes_rolled_over``;
here the interest forms under the same overview get a new draft revision for
that year, with every year in their texts moved along ("2024 har startat upp …
en intresseanmälan till 2025" becomes "2025 … 2026"). The live form is not
touched: readers see the new year when an editor publishes the draft, and the
form then opens when the year's published intakes say so.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import InterestFormPage
from .years import CHECKED_FIELDS, shift_years


def prepare_interest_forms(sender, *, year, index, user, outcome, **kwargs):
    for form in InterestFormPage.objects.child_of(index).order_by("path"):
        draft = form.get_latest_revision_as_object()
        edit_url = reverse("wagtailadmin_pages:edit", args=[form.pk])
        if draft.intake_year >= year:
            outcome.prepared.append(
                (_("%(title)s (fanns redan)") % {"title": draft.title}, edit_url)
            )
            continue
        if not form.permissions_for_user(user).can_edit():
            outcome.notes.append(
                _("Du får inte ändra %(title)s: be en kollega byta år till %(year)s.")
                % {"title": draft.title, "year": year}
            )
            continue
        move_to_year(draft, year)
        draft.save_revision(user=user, log_action=True)
        outcome.prepared.append(
            (_("Utkast: %(title)s") % {"title": draft.title}, edit_url)
        )
    # The guided last steps: check, preview, publish the year at once.
    outcome.prepared.append(
        (
            _("Kontrollera, förhandsgranska och publicera %(year)s") % {"year": year},
            reverse("forms_year_publish", args=[year]),
        )
    )


def move_to_year(form: InterestFormPage, year: int) -> None:
    by = year - form.intake_year
    form.intake_year = year
    for name in CHECKED_FIELDS:
        setattr(form, name, shift_years(getattr(form, name), by))
