"""Reading the inbox tallies that the database keeps (``forms.models.tally``).

``TallyQuery`` is the part of an inbox list the tallies can count: filters on
verification, intake year, status, source and programme. A list narrowed by
anything else (a search, the duplicates, a date) is counted from its rows, so
the tallies never have to know about it.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Sum,
    Value,
)

from .models import (
    AddressTally,
    InboxTally,
    InterestSubmission,
    ProgrammeTally,
    SharedAddress,
)
from .models.submissions import EMAIL_KEY

DIMENSIONS = ("verification", "intake_year", "status", "source")


@dataclass(frozen=True)
class TallyQuery:
    """Lookups on ``DIMENSIONS`` (``{"status": "ny"}``) and ones to exclude; a
    programme's page id, or ``no_programme`` for "Inget program valt";
    ``empty``: a filter no registration can meet (an id past the column's
    range)."""

    lookups: dict = field(default_factory=dict)
    exclusions: dict = field(default_factory=dict)
    programme: int | None = None
    no_programme: bool = False
    empty: bool = False


def total(query: TallyQuery) -> int:
    """How many registrations the list holds: each counted once."""
    if query.empty:
        return 0
    if query.programme is not None:
        # A registration has one link to a programme at most.
        rows: QuerySet = ProgrammeTally.objects.filter(programme_id=query.programme)
    elif query.no_programme:
        rows = InboxTally.objects.filter(has_programme=False)
    else:
        rows = InboxTally.objects.all()
    rows = rows.filter(**query.lookups).exclude(**query.exclusions)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def by_programme_and_status(query: TallyQuery) -> list[tuple]:
    """(programme id, title and tree path, or ``None`` for none chosen; status;
    count) for the list, in one query."""
    if query.empty:
        return []
    parts: list[QuerySet] = []
    if not query.no_programme:
        programmes = ProgrammeTally.objects.filter(**query.lookups).exclude(
            **query.exclusions
        )
        if query.programme is not None:
            programmes = programmes.filter(programme_id=query.programme)
        parts.append(
            programmes.values_list(
                "programme_id", "programme__title", "programme__path", "status"
            )
            .annotate(n=Sum("count"))
            .order_by()
        )
    if query.programme is None:
        parts.append(
            InboxTally.objects.filter(has_programme=False, **query.lookups)
            .exclude(**query.exclusions)
            .annotate(
                programme_id_=Value(None, IntegerField()),
                title_=Value(None, CharField()),
                path_=Value(None, CharField()),
            )
            .values_list("programme_id_", "title_", "path_", "status")
            .annotate(n=Sum("count"))
            .order_by()
        )
    first, *rest = parts
    rows = first.union(*rest, all=True) if rest else first
    return [row for row in rows if row[-1]]


# --- Checking and rebuilding ---------------------------------------------------


def _links():
    return InterestSubmission.programs.through.objects


def counted_from_rows() -> dict:
    """The three tallies as the registrations have them now, for a check."""
    links = _links().filter(interestsubmission_id=OuterRef("pk"))
    inbox = (
        InterestSubmission.objects.order_by()
        .annotate(has_programme=Exists(links))
        .values(*DIMENSIONS, "has_programme")
        .annotate(n=Count("pk"))
    )
    programmes = (
        _links()
        .order_by()
        .values(
            *(f"interestsubmission__{name}" for name in DIMENSIONS), "programpage_id"
        )
        .annotate(n=Count("pk"))
    )
    addresses = (
        InterestSubmission.objects.exclude(email="")
        .order_by()
        .annotate(email_key=EMAIL_KEY)
        .values("email_key", "intake_year")
        .annotate(n=Count("pk"))
    )
    counted = {
        "inbox": {
            (*(row[name] for name in DIMENSIONS), row["has_programme"]): row["n"]
            for row in inbox
        },
        "programmes": {
            (
                *(row[f"interestsubmission__{name}"] for name in DIMENSIONS),
                row["programpage_id"],
            ): row["n"]
            for row in programmes
        },
        "addresses": {
            (row["email_key"], row["intake_year"]): row["n"] for row in addresses
        },
    }
    counted["shared"] = {key: True for key, n in counted["addresses"].items() if n > 1}
    return counted


def stored() -> dict:
    """The three tallies as stored, without their zero rows."""

    def rows(model, key):
        return {
            tuple(row[:-1]): row[-1]
            for row in model.objects.exclude(count=0).values_list(*key, "count")
        }

    return {
        "inbox": rows(InboxTally, (*DIMENSIONS, "has_programme")),
        "programmes": rows(ProgrammeTally, (*DIMENSIONS, "programme_id")),
        "addresses": rows(AddressTally, ("email_key", "intake_year")),
        "shared": dict.fromkeys(
            SharedAddress.objects.values_list("email_key", "intake_year"), True
        ),
    }


def differences() -> dict:
    """Where the stored tallies disagree with the rows: {tally: {key: (stored,
    counted)}}; empty when they agree."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for both readings, however busy the form is.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        have, counted = stored(), counted_from_rows()
    found = {}
    for name, expected in counted.items():
        keys = set(expected) | set(have[name])
        wrong = {
            key: (have[name].get(key, 0), expected.get(key, 0))
            for key in keys
            if have[name].get(key, 0) != expected.get(key, 0)
        }
        if wrong:
            found[name] = wrong
    return found


@transaction.atomic
def rebuild():
    """Recounts the tallies from the registrations, holding off writers."""
    submissions = InterestSubmission._meta.db_table
    links = _links().model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {submissions}, {links} IN SHARE ROW EXCLUSIVE MODE"
            )
    counted = counted_from_rows()
    for model in (SharedAddress, InboxTally, ProgrammeTally, AddressTally):
        model.objects.all().delete()
    for model, name, column in (
        (InboxTally, "inbox", "has_programme"),
        (ProgrammeTally, "programmes", "programme_id"),
    ):
        names = (*DIMENSIONS, column)
        model.objects.bulk_create(
            model(**dict(zip(names, key, strict=True)), count=n)
            for key, n in counted[name].items()
        )
    # Its trigger fills in the shared addresses.
    AddressTally.objects.bulk_create(
        AddressTally(email_key=key, intake_year=year, count=n)
        for (key, year), n in counted["addresses"].items()
    )
