"""What the inbox remembers about its readers, and the record of data-subject
requests, which remembers no one."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, F, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Views of one inbox closer together than this are one visit: paging, filtering
# and opening a detail and coming back do not make "since my last visit" empty.
VISIT_GAP = timedelta(minutes=30)


class InboxVisit(models.Model):
    """When a person last looked at one inbox, and when before that visit.

    "New since my last visit" means sent after ``previous_seen_at``: the last
    time the person looked at the list before the visit they are on now.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    inbox = models.CharField(max_length=64)
    last_seen_at = models.DateTimeField()
    previous_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("besök i inkorgen")
        verbose_name_plural = _("besök i inkorgen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "inbox"], name="one_visit_per_inbox"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.inbox}"

    @classmethod
    def record(cls, user, inbox, now=None):
        """Note a view of the list, in the same two queries every time.

        A view more than ``VISIT_GAP`` after the last one starts a new visit,
        and the last one becomes "my last visit".
        """
        now = now or timezone.now()
        cls.objects.bulk_create(
            [cls(user=user, inbox=inbox, last_seen_at=now)], ignore_conflicts=True
        )
        cls.objects.filter(user=user, inbox=inbox).update(
            previous_seen_at=Case(
                When(last_seen_at__lt=now - VISIT_GAP, then=F("last_seen_at")),
                default=F("previous_seen_at"),
            ),
            last_seen_at=now,
        )


class DataSubjectAction(models.Model):
    """One search, export or erasure for a data-subject request (GDPR 15, 17).

    It records who did what, when and to how many rows, never the address or
    the data. ``subject_digest`` is a keyed hash (HMAC with the site's secret
    key) of the address: it lets the log show that two actions concerned the
    same person (an export, then an erasure) without the log itself being a
    list of addresses; nobody without the key can test a guessed address
    against it, and a new key makes the old digests meaningless.
    """

    class Kind(models.TextChoices):
        SEARCH = "search", _("Sökning")
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Radering")

    acted_at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("åtgärd"), max_length=16, choices=Kind.choices)
    subject_digest = models.CharField(_("kontrollsumma"), max_length=64)
    counts = models.JSONField(_("antal"), default=dict)

    class Meta:
        ordering = ["-acted_at"]
        verbose_name = _("registrerades begäran")
        verbose_name_plural = _("registrerades begäranden")

    def __str__(self):
        return f"{self.get_kind_display()} {self.acted_at:%Y-%m-%d %H:%M}"

    def total(self):
        return sum(self.counts.values())
