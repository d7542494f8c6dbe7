"""Session times are Swedish wall-clock times, never moments in another zone."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def wall_clock_time(value):
    """Refuses a time with a zone (e.g. "10:00Z" through the API).

    The databases cannot store one, and "10.00" on a programme page means
    Stockholm time whatever the season, which no fixed offset can say.
    """
    if value is not None and value.tzinfo is not None:
        raise ValidationError(
            _("Ange tiden utan tidszon, i svensk tid (t.ex. 10:00)."), code="zone"
        )
