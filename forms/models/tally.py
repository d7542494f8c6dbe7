"""Registrations counted by the database itself, for an inbox that costs the
same at 100,000 rows as at 100.

Triggers (migration 0019) keep these rows in step with every write to the
registrations and their programme links, however it is made: a form post, a
manager's bulk change, a merge, a correction, the purge, a raw ``UPDATE``. The
application never writes them; ``forms.tally.rebuild`` recounts them from the
registrations, should anyone doubt them (``manage.py recount_inbox``).

A row holds the number of registrations with one combination of the columns
the inbox filters on, so the list's total and the table of counts per
programme and status are a sum over a few dozen rows instead of a pass over
every registration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilterDimensions(models.Model):
    """The columns of a registration the inbox filters on, and a count."""

    verification = models.CharField(max_length=16)
    intake_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    source = models.CharField(max_length=16)
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True
        default_permissions = ()


class InboxTally(FilterDimensions):
    """Registrations per combination of the inbox's filters; one per registration."""

    # Whether the registration chose any programme: "Inget program valt".
    has_programme = models.BooleanField()

    class Meta(FilterDimensions.Meta):
        verbose_name = _("räkning av intresseanmälningar")
        verbose_name_plural = _("räkningar av intresseanmälningar")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "verification",
                    "intake_year",
                    "status",
                    "source",
                    "has_programme",
                ],
                name="inbox_tally_key",
            )
        ]

    def __str__(self):
        return f"{self.intake_year} {self.status} {self.verification}: {self.count}"


class ProgrammeTally(FilterDimensions):
    """Registrations per programme and combination of filters; one per programme
    a registration chose, so one that chose both counts in both."""

    # No constraint: the page's deletion removes its links first, and the
    # triggers take the count down with them.
    programme = models.ForeignKey(
        "programs.ProgramPage",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta(FilterDimensions.Meta):
        verbose_name = _("räkning per program")
        verbose_name_plural = _("räkningar per program")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "verification",
                    "intake_year",
                    "status",
                    "source",
                    "programme",
                ],
                name="programme_tally_key",
            )
        ]

    def __str__(self):
        return f"{self.programme_id} {self.intake_year} {self.status}: {self.count}"


class AddressTally(models.Model):
    """Registrations per address key (``EMAIL_KEY``) and intake year."""

    email_key = models.CharField(max_length=254)
    intake_year = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("räkning per adress")
        verbose_name_plural = _("räkningar per adress")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["email_key", "intake_year"], name="address_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.intake_year}: {self.count}"


class SharedAddress(models.Model):
    """The address keys and years of more than one registration: the possible
    duplicates, as few as there are of them, kept by a trigger on
    ``AddressTally`` whose row locks let two senders of one address at the
    same moment both be counted."""

    email_key = models.CharField(max_length=254)
    intake_year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("delad adress")
        verbose_name_plural = _("delade adresser")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["email_key", "intake_year"], name="shared_address_key"
            )
        ]

    def __str__(self):
        return f"{self.intake_year}"
