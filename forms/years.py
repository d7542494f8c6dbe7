"""The interest form's texts name its year: a check that they name the right one.

Opening a new year used to mean changing the year in the title, the intro and
the messages by hand, and a missed one told readers the wrong year. The texts
may mention earlier years ("2024 har startat upp"), but the latest year each
one names must be the form's intake year.
"""

import re

from django.utils.translation import gettext as _

YEAR = re.compile(r"\b20\d\d\b")
CHECKED_FIELDS = ("title", "intro", "not_open_text", "closed_text", "thank_you_text")


def latest_year_named(text: str) -> int | None:
    return max((int(year) for year in YEAR.findall(text or "")), default=None)


def year_mismatches(page) -> dict[str, list[str]]:
    """Field name → error, for each text whose latest year is not the intake year."""
    errors = {}
    for name in CHECKED_FIELDS:
        named = latest_year_named(getattr(page, name, ""))
        if named is not None and named != page.intake_year:
            errors[name] = [
                _(
                    "Texten nämner %(named)s, men formuläret gäller antagningen "
                    "%(year)s. Ändra året i texten eller antagningsåret."
                )
                % {"named": named, "year": page.intake_year}
            ]
    return errors


def shift_years(text: str, by: int = 1) -> str:
    """Every year named in ``text`` moved ``by`` years: a text rolled over a year."""
    return YEAR.sub(lambda match: str(int(match[0]) + by), text or "")
