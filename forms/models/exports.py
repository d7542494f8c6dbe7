import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def export_storage():
    """The private storage of built exports (``STORAGES["exports"]``): never the
    public media, since the files hold what people sent in."""
    return storages["exports"]


def export_file_name(instance, filename):
    """A name no one can guess, for the file's place in the private storage."""
    return str(PurePosixPath("exports", secrets.token_hex(16), filename))


class SpreadsheetExport(models.Model):
    """An XLSX export of an inbox list, built in the background.

    Remembers who asked, for which list (the inbox's admin path and its query
    string: filters, search and order) and, once built, the private file. Only
    the person who asked may download it, and only while they may still view the
    list; the purge deletes the file and the row after ``EXPORT_RETENTION_HOURS``.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Förbereds")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Misslyckades")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True, db_index=True)
    # The inbox list's admin path, to which the worker replays the request.
    path = models.CharField(_("lista"), max_length=200)
    query = models.CharField(_("filter och sökning"), max_length=2000, blank=True)
    state = models.CharField(
        _("läge"), max_length=16, choices=State.choices, default=State.PENDING
    )
    file = models.FileField(
        _("fil"),
        storage=export_storage,
        upload_to=export_file_name,
        blank=True,
    )
    row_count = models.PositiveIntegerField(_("rader"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exporter")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.path} {self.created_at:%Y-%m-%d %H:%M}"
