"""Registered webhooks and the log of what was sent to them."""

import binascii
import uuid

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .addresses import check_url
from .signing import SECRET_PREFIX, generate_secret, secret_key

MIN_SECRET_BYTES = 16


class WebhookEvent(models.TextChoices):
    PAGE_PUBLISHED = "page.published", _("Sida publicerad")
    PAGE_UNPUBLISHED = "page.unpublished", _("Sida avpublicerad")
    PAGE_MOVED = "page.moved", _("Sida flyttad")
    PAGE_DELETED = "page.deleted", _("Sida raderad")
    SNIPPET_SAVED = "snippet.saved", _("Snutt sparad")


def validate_url(url):
    """On save: the same check as at each send, so a bad URL is refused early."""
    check_url(url)


def validate_secret(secret):
    try:
        key = secret_key(secret) if secret.startswith(SECRET_PREFIX) else b""
    except (binascii.Error, ValueError):
        key = b""
    if len(key) < MIN_SECRET_BYTES:
        raise ValidationError(
            _(
                "Hemligheten ska vara whsec_ följt av minst %(bytes)s slumpmässiga "
                "byte i base64, som den som fylls i från början."
            )
            % {"bytes": MIN_SECRET_BYTES},
            code="secret",
        )


class Webhook(models.Model):
    name = models.CharField(_("namn"), max_length=100)
    url = models.URLField(
        _("adress"),
        max_length=500,
        validators=[validate_url],
        help_text=_(
            "Dit händelserna skickas med POST. Bara publika adresser; https i drift."
        ),
    )
    secret = models.CharField(
        _("hemlighet"),
        max_length=100,
        default=generate_secret,
        validators=[validate_secret],
        help_text=_(
            "Mottagaren kontrollerar signaturen (webhook-signature) med den här "
            "hemligheten. Kopiera den till mottagaren; byt den om den har läckt."
        ),
    )
    events = models.JSONField(_("händelser"), default=list)
    active = models.BooleanField(
        _("aktiv"), default=True, help_text=_("En inaktiv webbhook får inget.")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        # The table from when this was home's model (migrations 0001 here).
        db_table = "home_webhook"
        verbose_name = _("webbhook")
        verbose_name_plural = _("webbhookar")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def listens_to(self, event: str) -> bool:
        return self.active and event in self.events

    @admin.display(description=_("händelser"))
    def event_labels(self):
        labels = dict(WebhookEvent.choices)
        return ", ".join(str(labels.get(event, event)) for event in self.events)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    SENDING = "sending", _("Skickas")
    RETRYING = "retrying", _("Nytt försök planerat")
    DELIVERED = "delivered", _("Levererad")
    FAILED = "failed", _("Misslyckad")


class WebhookDelivery(models.Model):
    """One event for one webhook: its exact body and every attempt's outcome.

    The body is stored as sent, so a retry sends the same bytes under the same
    ``webhook-id`` and the receiver can drop a duplicate.
    """

    webhook = models.ForeignKey(
        Webhook,
        verbose_name=_("webbhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("händelse-id"), default=uuid.uuid4)
    event = models.CharField(_("händelse"), max_length=30, choices=WebhookEvent)
    body = models.TextField(_("innehåll"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    response_code = models.PositiveSmallIntegerField(
        _("svarskod"), null=True, blank=True
    )
    last_error = models.TextField(_("senaste fel"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("levererad"), null=True, blank=True)

    class Meta:
        db_table = "home_webhookdelivery"
        verbose_name = _("webbhookleverans")
        verbose_name_plural = _("webbhookleveranser")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_id"], name="webhook_delivery_once_per_event"
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.webhook}"

    @property
    def message_id(self) -> str:
        """The ``webhook-id`` header and the body's ``id``: the same on retries."""
        return f"msg_{self.event_id.hex}"
