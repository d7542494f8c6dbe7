from dataclasses import dataclass

from django import template
from django.utils import timezone

from forms.models import ContactFormPage, InterestFormPage
from programs.models import IntakeStatus

from ..interest import (
    ProgrammeIntakes,
    closed_for_program_message,
    programme_intakes,
    public_status,
)
from ..live_pages import first_live_page
from ..window import FormWindow

register = template.Library()


def _first_live_page(context, model):
    return first_live_page(context.get("request"), model)


@register.simple_tag(takes_context=True)
def contact_form_page(context):
    return _first_live_page(context, ContactFormPage)


@register.simple_tag(takes_context=True)
def interest_form_page(context):
    return _first_live_page(context, InterestFormPage)


@dataclass(frozen=True)
class RegistrationStatus:
    """Whether interest registration is open, for the site or for one programme.

    ``year`` is the intake year of the live interest form ``form_page`` (None
    when there is none); ``message`` says why it is not open and when the next
    one opens, when that is known.
    """

    is_open: bool
    year: int | None
    form_page: InterestFormPage | None
    message: str = ""


NO_FORM = RegistrationStatus(False, None, None, "")


@register.simple_tag(takes_context=True)
def interest_status(context):
    """``{% interest_status as status %}``: the live interest form's state."""
    form = _first_live_page(context, InterestFormPage)
    if form is None:
        return NO_FORM
    state = form.window_state()
    return RegistrationStatus(
        state == FormWindow.OPEN, form.intake_year, form, form.window_message(state)
    )


def _program_intake(status, program_page):
    return next(
        (
            intake
            for intake in status.form_page.interest_intakes
            if intake.program_id == program_page.pk
        ),
        None,
    )


@register.simple_tag(takes_context=True)
def registration_status(context, program_page):
    """``{% registration_status page as status %}`` for a ProgramPage.

    The form's own state, unless the form is open and this programme's intake
    of the year is not (full, cancelled): then it is closed for this programme.
    """
    status = interest_status(context)
    if not status.is_open:
        return status
    intake = _program_intake(status, program_page)
    if intake is not None and intake.status == IntakeStatus.INTEREST_OPEN:
        return status
    return RegistrationStatus(
        False,
        status.year,
        status.form_page,
        closed_for_program_message(status.year, intake),
    )


@register.simple_tag(takes_context=True)
def intake_status(context, intake):
    """An intake's status as readers may be told it (``forms.interest.public_status``).

    "Intresseanmälan öppen" only while someone can actually register for it:
    an intake whose dates say open, but that no live form takes interest for,
    is shown as closed.
    """
    form = _first_live_page(context, InterestFormPage)
    return public_status(intake, form, timezone.now()).label


@register.simple_tag(takes_context=True)
def programme_year(context, program_page) -> ProgrammeIntakes:
    """``{% programme_year page as year %}``: the leading intake and the rest."""
    form = _first_live_page(context, InterestFormPage)
    return programme_intakes(program_page.intake_list, form, timezone.now())


@register.inclusion_tag("components/registration_notice.html", takes_context=True)
def registration_notice(context, program_page):
    """``{% registration_notice page %}``: the programme's registration, in a box."""
    return {
        "request": context.get("request"),
        "status": registration_status(context, program_page),
    }


@register.inclusion_tag("components/interest_callout.html", takes_context=True)
def interest_callout(context):
    """``{% interest_callout %}``: the interest form for the whole site, in a box."""
    return {
        "request": context.get("request"),
        "status": interest_status(context),
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
