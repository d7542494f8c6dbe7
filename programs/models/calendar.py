"""iCalendar (RFC 5545) files of an intake's sessions, built with ``icalendar``."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from icalendar import Calendar, Event


def build_calendar(page, intakes):
    """One VEVENT per dated session of ``intakes``, in Stockholm time.

    Undated sessions are left out: an event needs a time, and a reader's
    calendar picks them up from the feed once they are dated.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//SKR//Toppolitikerprogrammen//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", page.title)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    stamp = timezone.now()
    url = page.full_url
    for intake in intakes:
        sessions = intake.session_list()
        for number, session in enumerate(sessions, start=1):
            if not session.date:
                continue
            event = Event()
            event.add("uid", session.uid)
            event.add("dtstamp", stamp)
            event.add("sequence", session.sequence)
            event.add("dtstart", session.starts_at)
            event.add("dtend", session.ends_at)
            event.add(
                "summary",
                _("%(program)s %(year)s, träff %(number)s av %(total)s")
                % {
                    "program": page.title,
                    "year": intake.year,
                    "number": number,
                    "total": len(sessions),
                },
            )
            if session.venue:
                event.add("location", session.venue.location)
            event.add("description", describe(session))
            if url:
                event.add("url", url)
            calendar.add_component(event)
    # VTIMEZONE for every TZID the events use, so any client reads Stockholm time.
    calendar.add_missing_timezones()
    return calendar


def describe(session):
    """What a reader needs to know that DTSTART and DTEND cannot say."""
    lines = []
    if session.end_time_is_approximate:
        lines.append(
            _("Träffen slutar ca %(time)s.")
            % {"time": session.end_time.strftime("%H.%M")}
        )
    if session.evening_activity:
        lines.append(_("Kvällsaktivitet ingår."))
    return " ".join(lines)


def calendar_response(page, intakes, filename):
    response = HttpResponse(
        build_calendar(page, intakes).to_ical(),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
