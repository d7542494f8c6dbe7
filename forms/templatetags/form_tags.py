from dataclasses import dataclass

from django import template

from forms.models import ContactFormPage, InterestFormPage
from programs.models import Intake

register = template.Library()


def _first_live_page(context, model):
    """The first live, public page of ``model``, looked up once per request."""
    request = context.get("request")
    cache = getattr(request, "_form_page_cache", None) if request else None
    if cache is None:
        cache = {}
        if request is not None:
            request._form_page_cache = cache
    if model not in cache:
        cache[model] = model.objects.live().public().first()
    return cache[model]


@register.simple_tag(takes_context=True)
def contact_form_page(context):
    return _first_live_page(context, ContactFormPage)


@register.simple_tag(takes_context=True)
def interest_form_page(context):
    return _first_live_page(context, InterestFormPage)


@dataclass(frozen=True)
class RegistrationStatus:
    """Whether a programme's next intake takes interest registrations right now.

    ``year`` is the intake the status is about, ``form_page`` its live interest
    form (open or not, None when there is none).
    """

    is_open: bool
    year: int | None
    form_page: InterestFormPage | None


def _interest_forms(context):
    """Live, public interest forms by intake year, looked up once per request."""
    request = context.get("request")
    cached = getattr(request, "_interest_forms", None) if request else None
    if cached is None:
        cached = list(InterestFormPage.objects.live().public().order_by("intake_year"))
        if request is not None:
            request._interest_forms = cached
    return cached


def _upcoming_years(program_page):
    upcoming = (Intake.Status.PLANNED, Intake.Status.INTEREST_OPEN)
    return sorted(
        intake.year for intake in program_page.intake_list if intake.status in upcoming
    )


@register.simple_tag(takes_context=True)
def registration_status(context, program_page):
    """``{% registration_status page as status %}`` for a ProgramPage.

    Open when a live interest form for the programme's next intake (its earliest
    planned or interest-open intake) is within its opening and closing times. A
    programme without such intakes follows the earliest open form of any year.
    """
    forms = _interest_forms(context)
    by_year = {form.intake_year: form for form in forms}
    years = _upcoming_years(program_page)
    for year in years:
        form = by_year.get(year)
        if form is not None and form.is_open:
            return RegistrationStatus(True, year, form)
    if not years:
        open_forms = [form for form in forms if form.is_open]
        if open_forms:
            return RegistrationStatus(True, open_forms[0].intake_year, open_forms[0])
    year = years[0] if years else None
    return RegistrationStatus(False, year, by_year.get(year))


@register.inclusion_tag("components/registration_notice.html", takes_context=True)
def registration_notice(context, program_page):
    """``{% registration_notice page %}``: the programme's registration, in a box."""
    return {
        "request": context.get("request"),
        "status": registration_status(context, program_page),
    }


@dataclass(frozen=True)
class Retention:
    """How long one form keeps what is sent to it, for the privacy notice."""

    form_title: str
    months: int


@register.simple_tag
def retention_periods(privacy_page):
    """The retention of every live form that links to ``privacy_page`` as its
    privacy notice, read from the form pages, so the notice never states a
    period the purge does not keep."""
    periods = []
    for model in (InterestFormPage, ContactFormPage):
        forms = model.objects.live().filter(privacy_page=privacy_page)
        periods += [
            Retention(title, months)
            for title, months in forms.order_by("path").values_list(
                "title", "retention_months"
            )
        ]
    return periods
