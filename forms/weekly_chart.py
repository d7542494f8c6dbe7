"""The admin home's chart of interest registrations per week, this year.

Drawn on the server as inline SVG: no script, nothing fetched from elsewhere.
The chart is one image to a screen reader (``role="img"``, its title and a
description with the total and the busiest week), and the same numbers follow
as a table inside ``<details>``, for anyone who wants to read them exactly.
The weeks are counted in one query over this year's part of the newest-first
index, so the panel costs the same at 100 registrations as at 100,000.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.admin.ui.components import Component

from .models import InterestSubmission, Verification

WIDTH = 640
HEIGHT = 180
MARGIN_LEFT = 32
MARGIN_BOTTOM = 24
MARGIN_TOP = 12
# A week label every this many weeks, so that they never overlap.
LABEL_EVERY = 4


def monday(day):
    return day - timedelta(days=day.weekday())


def weekly_counts(today=None) -> list[dict]:
    """Each week of the current year up to this one: its number, first day and count."""
    today = today or timezone.localdate()
    start = monday(today.replace(month=1, day=1))
    since = timezone.make_aware(datetime.combine(start, time.min))
    days = (
        InterestSubmission.objects.filter(submit_time__gte=since)
        .exclude(verification=Verification.UNVERIFIED)
        .annotate(day=TruncDate("submit_time", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_week: dict[date, int] = {}
    for row in days:
        week = monday(row["day"])
        per_week[week] = per_week.get(week, 0) + row["count"]
    weeks = []
    week = start
    while week <= monday(today):
        weeks.append(
            {
                "number": week.isocalendar()[1],
                "start": week,
                "count": per_week.get(week, 0),
            }
        )
        week += timedelta(days=7)
    return weeks


def chart(weeks) -> dict:
    """Bars and labels in SVG coordinates."""
    top = max((week["count"] for week in weeks), default=0)
    scale_max = max(top, 1)
    plot_width = WIDTH - MARGIN_LEFT
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_width / max(len(weeks), 1)
    bars = []
    for index, week in enumerate(weeks):
        height = plot_height * week["count"] / scale_max
        x = MARGIN_LEFT + index * slot
        bars.append(
            {
                **week,
                "x": round(x + slot * 0.15, 1),
                "y": round(MARGIN_TOP + plot_height - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "label_x": round(x + slot / 2, 1),
                "labelled": index % LABEL_EVERY == 0,
            }
        )
    total = sum(week["count"] for week in weeks)
    busiest = max(weeks, key=lambda week: week["count"], default=None)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "max": top,
        "axis_x": MARGIN_LEFT,
        "axis_top": MARGIN_TOP,
        "baseline": HEIGHT - MARGIN_BOTTOM,
        "label_y": HEIGHT - 6,
        "total": total,
        "description": description(total, busiest),
    }


def description(total, busiest) -> str:
    if not total:
        return _("Inga intresseanmälningar har kommit in i år.")
    return _(
        "Totalt %(total)d intresseanmälningar i år. Flest kom vecka %(week)d "
        "(%(count)d stycken)."
    ) % {"total": total, "week": busiest["number"], "count": busiest["count"]}


class WeeklyRegistrationsPanel(Component):
    name = "weekly_registrations"
    order = 55
    template_name = "forms/admin/weekly_registrations_panel.html"

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {"year": today.year, "chart": chart(weekly_counts(today))}
