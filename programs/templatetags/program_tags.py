from django import template
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def session_dates(session):
    """A session's days as Swedish readers write them: '10–11 februari 2026'.

    The month and year are written once when both days share them, as in
    running Swedish text; Django's Swedish month names keep them lower case.
    """
    start, end = session.date, session.end_date
    if start is None:
        return ""
    if start == end:
        return format_date(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, 'j F Y')}"
    if start.year == end.year:
        return f"{format_date(start, 'j F')} – {format_date(end, 'j F Y')}"
    return f"{format_date(start, 'j F Y')} – {format_date(end, 'j F Y')}"


@register.simple_tag(takes_context=True)
def intake_calendar_url(context, page, intake):
    """``{% intake_calendar_url page intake %}``: the intake's .ics file."""
    return page.calendar_url(context.get("request"), intake.year)
