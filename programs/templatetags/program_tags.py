import datetime

from django import template
from django.utils import timezone
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


# No line break inside an amount or between it and "kr": "24 500 kr".
NO_BREAK_SPACE = "\u00a0"


@register.filter
def kronor(amount):
    """Whole kronor as Swedish readers write them: '24 500 kr', unbreakable."""
    if amount is None or amount == "":
        return ""
    grouped = f"{int(amount):,}".replace(",", NO_BREAK_SPACE)
    return f"{grouped}{NO_BREAK_SPACE}kr"


@register.filter
def last_day(closes_at):
    """The last day on which interest can be registered, given when it closes.

    Closing at midnight means the day before was the last one ('31 maj 2025'
    for 1 June 00.00); closing later in a day makes that day the last, with
    the time ('1 juni 2025 kl. 12.00').
    """
    if closes_at is None:
        return ""
    local = timezone.localtime(closes_at)
    if local.time() == datetime.time(0, 0):
        return format_date(local.date() - datetime.timedelta(days=1), "j F Y")
    return f"{format_date(local, 'j F Y')} kl. {format_date(local, 'G.i')}"
