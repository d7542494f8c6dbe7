"""What programme managers add to a registration: notes, and the pairs of
registrations they have judged not to be duplicates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    """A programme manager's note on a registration: who wrote it, and when.

    Notes live beside the registration in the inbox, which only the programme
    managers see; they go with the registration when it is deleted or purged.
    """

    submission = models.ForeignKey(
        "forms.InterestSubmission",
        verbose_name=_("intresseanmälan"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skriven av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skriven"), default=timezone.now)
    text = models.TextField(_("anteckning"), max_length=5000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("anteckning")
        verbose_name_plural = _("anteckningar")

    def __str__(self):
        return f"{self.submission_id}: {self.text[:40]}"

    def author_name(self):
        if self.author is None:
            return "–"
        return self.author.get_full_name() or self.author.get_username()


class DuplicateDismissal(models.Model):
    """ "Inte en dubblett": two registrations with one address and intake year
    that a manager judged to be two (two people sharing an office address, a
    second programme asked for on purpose). Stored both ways round, so either
    registration finds it with one index lookup."""

    submission = models.ForeignKey(
        "forms.InterestSubmission", on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        "forms.InterestSubmission", on_delete=models.CASCADE, related_name="+"
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inte en dubblett")
        verbose_name_plural = _("inte dubbletter")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "other"], name="one_dismissal_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.submission_id} ≠ {self.other_id}"

    @classmethod
    def dismiss(cls, first, second, user):
        cls.objects.bulk_create(
            [
                cls(submission=first, other=second, dismissed_by=user),
                cls(submission=second, other=first, dismissed_by=user),
            ],
            ignore_conflicts=True,
        )
