"""A registration's decision per intake, and the e-mails sent about it.

A registration may choose both programmes, and each programme admits its own
cohort: so the decision is an ``Admission`` row per registration and intake
(the chosen programme's intake of the registration's year), with its own
status. The registration's own status stays what the inbox filters by: it is
set to the most favourable of its admissions (see ``forms.admissions``).
"""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .submissions import DeliveryState


class AdmissionStatus(models.TextChoices):
    # Stored values are the registration's statuses of the same name.
    ACCEPTED = "antagen", _("Antagen")
    RESERVE = "reserv", _("Reserv")
    DECLINED = "avböjd", _("Avböjd")
    WITHDRAWN = "återtagen", _("Återtagen")


class Admission(models.Model):
    submission = models.ForeignKey(
        "forms.InterestSubmission",
        verbose_name=_("intresseanmälan"),
        on_delete=models.CASCADE,
        related_name="admissions",
    )
    intake = models.ForeignKey(
        "programs.Intake",
        verbose_name=_("antagning"),
        on_delete=models.CASCADE,
        related_name="admissions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AdmissionStatus.choices
    )
    changed_at = models.DateTimeField(_("ändrad"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("antagningsbeslut")
        verbose_name_plural = _("antagningsbeslut")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "intake"], name="one_admission_per_intake"
            )
        ]
        indexes = [
            # The inbox's "Antagna 27 av 30 platser": a count per intake and status.
            models.Index(fields=["intake", "status"], name="admission_intake_status")
        ]

    def __str__(self):
        return f"{self.submission} – {self.intake}: {self.get_status_display()}"


# What a template may say; each is filled in by ``forms.status_email``.
PLACEHOLDERS = {
    "namn": _("mottagarens namn"),
    "program": _("programmets namn"),
    "omgång": _("antagningens år"),
    "datum": _("träffarnas datum"),
    "plats": _("träffarnas platser"),
}


def validate_placeholders(text):
    """A Swedish error naming any {placeholder} the e-mails cannot fill."""
    try:
        names = {
            name for _, name, _, _ in string.Formatter().parse(text) if name is not None
        }
    except ValueError as error:
        raise ValidationError(
            _("Texten har en ofullständig klammerparentes: %(error)s"),
            params={"error": error},
        ) from error
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Okänd platshållare: %(names)s. Tillåtna är %(allowed)s."),
            params={
                "names": ", ".join(f"{{{name}}}" for name in unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
        )


class StatusEmailTemplate(models.Model):
    """The e-mail a registration may be sent when it gets a status; a snippet
    communicators edit."""

    status = models.CharField(
        _("status"), max_length=16, choices=AdmissionStatus.choices, unique=True
    )
    subject = models.CharField(
        _("ämne"), max_length=200, validators=[validate_placeholders]
    )
    body = models.TextField(
        _("text"),
        validators=[validate_placeholders],
        help_text=_(
            "Platshållare: {namn}, {program}, {omgång}, {datum}, {plats}. "
            "De fylls i för varje mottagare."
        ),
    )

    class Meta:
        verbose_name = _("statusmejl")
        verbose_name_plural = _("statusmejl")
        ordering = ["status"]

    def __str__(self):
        return str(self.get_status_display())


class SentEmail(models.Model):
    """One e-mail to one registration: who sent it, when, what, and its state."""

    submission = models.ForeignKey(
        "forms.InterestSubmission",
        verbose_name=_("intresseanmälan"),
        on_delete=models.CASCADE,
        related_name="sent_emails",
    )
    intake = models.ForeignKey(
        "programs.Intake",
        verbose_name=_("antagning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    template = models.CharField(
        _("mall"), max_length=40, help_text=_("Statusmejlets status, eller 'utskick'.")
    )
    subject = models.CharField(_("ämne"), max_length=255)
    body = models.TextField(_("text"))
    attach_calendar = models.BooleanField(_("med kalenderfil"), default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickat av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    state = models.CharField(
        _("leverans"),
        max_length=16,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        verbose_name = _("skickat mejl")
        verbose_name_plural = _("skickade mejl")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject

    @property
    def template_label(self):
        """ "Antagen", "Reserv", … for a status e-mail; "Utskick" for a message
        to a selection."""
        if self.template in AdmissionStatus.values:
            return AdmissionStatus(self.template).label
        return _("Utskick")
