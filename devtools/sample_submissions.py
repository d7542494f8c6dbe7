"""Realistic stored submissions in bulk, for scale benchmarks and tests.

``make bench-scale`` fills a database with 100,000 registrations to measure the
inbox, the exports and the purge; tests use the same generator at small sizes.
Rows are written with ``bulk_create`` (and their programme links likewise), so
100,000 take seconds, not the hours the public form would.

What makes them realistic: Swedish names, municipalities and roles; answers
stored under the form's own field names, as the form stores them; 0-2
programmes each; dates spread evenly over several years, so the purge has work;
and the status a person would have given them: old ones handled, recent ones
mostly still new.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from forms.models import (
    ContactFormPage,
    ContactSubmission,
    DeliveryState,
    InterestFormPage,
    InterestSubmission,
)
from forms.models.fields import PROGRAM_CHOICE, Autocomplete

FIRST_NAMES = (
    "Anna Maria Eva Karin Sara Lena Emma Kerstin Ingrid Elin Johan Erik Lars "
    "Karl Anders Per Mikael Magnus Nils Olof Fatima Ali Amir Leila Sven Gun Bo"
).split()
LAST_NAMES = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson "
    "Svensson Gustafsson Pettersson Jonsson Lindberg Lindqvist Berg Ek Holm "
    "Åberg Öberg Sjöberg Hussein Nguyen Lund Dahl Björk"
).split()
ORGANISATIONS = (
    "Malmö stad",
    "Göteborgs Stad",
    "Stockholms stad",
    "Region Skåne",
    "Region Örebro län",
    "Umeå kommun",
    "Kiruna kommun",
    "Gotlands kommun",
    "Region Västerbotten",
    "Luleå kommun",
    "Växjö kommun",
    "Region Jönköpings län",
)
ROLES = (
    "Kommunstyrelsens ordförande",
    "Regionstyrelsens ordförande",
    "Kommunalråd",
    "Oppositionsråd",
    "Regionråd",
    "Nämndordförande",
)
MESSAGES = (
    "Jag vill veta mer om upplägget.",
    "Vi är två från kommunen som är intresserade.",
    "",
    "Passar programmet en nyvald ordförande?",
)
# The share of registrations whose status is still "ny", by age: people handle
# the new ones within weeks, so old registrations are almost never new.
RECENT_DAYS = 60
BATCH = 2_000


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    organisation: str
    role: str
    message: str


def people(rng: random.Random) -> Iterator[Person]:
    """An endless stream of made-up senders; each e-mail address is unique."""
    number = 0
    while True:
        number += 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        yield Person(
            name=f"{first} {last}",
            email=f"{first}.{last}.{number}@exempel.se".lower(),
            phone=f"070-{rng.randrange(100, 999)} {rng.randrange(10, 99)} "
            f"{rng.randrange(10, 99)}",
            organisation=rng.choice(ORGANISATIONS),
            role=rng.choice(ROLES),
            message=rng.choice(MESSAGES),
        )


def form_data(fields, person: Person, program_titles: list[str]) -> dict:
    """The answers as the form stores them, under this form's field names."""
    by_purpose = {
        Autocomplete.NAME: person.name,
        Autocomplete.EMAIL: person.email,
        Autocomplete.TEL: person.phone,
        Autocomplete.ORGANIZATION: person.organisation,
        Autocomplete.ORGANIZATION_TITLE: person.role,
    }
    data: dict[str, object] = {}
    for field in fields:
        if field.autocomplete in by_purpose:
            data[field.clean_name] = by_purpose[field.autocomplete]
        elif field.field_type == PROGRAM_CHOICE:
            data[field.clean_name] = program_titles
        elif field.field_type == "multiline":
            data[field.clean_name] = person.message
        elif field.field_type == "checkbox":
            data[field.clean_name] = True
    return data


def spread_times(rng: random.Random, count: int, years: float) -> list[datetime]:
    """``count`` moments spread evenly over the last ``years`` years, newest first."""
    now = timezone.now()
    span = years * 365.25 * 24 * 3600
    seconds = sorted(rng.uniform(0, span) for _ in range(count))
    return [now - timedelta(seconds=offset) for offset in seconds]


def status_for(rng: random.Random, age: timedelta) -> str:
    status = InterestSubmission.Status
    if age.days < RECENT_DAYS and rng.random() < 0.7:
        return status.NEW
    if age.days >= RECENT_DAYS and rng.random() < 0.01:
        return status.NEW
    return rng.choice(
        (
            status.CONTACTED,
            status.ACCEPTED,
            status.RESERVE,
            status.DECLINED,
            status.WITHDRAWN,
        )
    )


@contextmanager
def own_submit_times(model):
    """Lets ``bulk_create`` keep the ``submit_time`` given: Wagtail's field is
    ``auto_now_add``, which would stamp every generated row with now."""
    field = model._meta.get_field("submit_time")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate_registrations(
    page: InterestFormPage, programs: list, count: int, *, years: float, seed: int
) -> int:
    """Store ``count`` interest registrations to ``page``; returns how many."""
    rng = random.Random(seed)
    fields = list(page.get_form_fields())
    senders = people(rng)
    now = timezone.now()
    through = InterestSubmission.programs.through
    for moments in batches(spread_times(rng, count, years)):
        rows, chosen = [], []
        for moment in moments:
            person = next(senders)
            picked = rng.sample(
                programs, k=min(len(programs), rng.choice((0, 1, 1, 2)))
            )
            chosen.append(picked)
            rows.append(
                registration(rng, page, fields, person, picked, moment, now - moment)
            )
        with transaction.atomic(), own_submit_times(InterestSubmission):
            created = InterestSubmission.objects.bulk_create(rows)
            through.objects.bulk_create(
                through(interestsubmission_id=row.pk, programpage_id=program.pk)
                for row, picked in zip(created, chosen, strict=True)
                for program in picked
            )
    return count


def registration(rng, page, fields, person, picked, moment, age):
    return InterestSubmission(
        page=page,
        form_title=page.title,
        form_data=form_data(fields, person, [program.title for program in picked]),
        submit_time=moment,
        name=person.name,
        email=person.email,
        phone=person.phone,
        organisation=person.organisation,
        role=person.role,
        intake_year=moment.year + (1 if moment.month >= 9 else 0),
        status=status_for(rng, age),
        notification_state=DeliveryState.SENT,
        receipt_state=DeliveryState.SENT,
        delivery_attempts=2,
    )


def generate_contacts(page: ContactFormPage, count: int, *, years: float, seed: int):
    """Store ``count`` contact requests to ``page``; returns how many."""
    rng = random.Random(seed + 1)
    fields = list(page.get_form_fields())
    senders = people(rng)
    for moments in batches(spread_times(rng, count, years)):
        rows = []
        for moment in moments:
            person = next(senders)
            rows.append(
                ContactSubmission(
                    page=page,
                    form_title=page.title,
                    form_data=form_data(fields, person, []),
                    submit_time=moment,
                    name=person.name,
                    email=person.email,
                    organisation=person.organisation,
                    notification_state=DeliveryState.SENT,
                    receipt_state=DeliveryState.SENT,
                    delivery_attempts=2,
                )
            )
        with transaction.atomic(), own_submit_times(ContactSubmission):
            ContactSubmission.objects.bulk_create(rows)
    return count
