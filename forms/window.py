from django.db import models
from django.utils.translation import gettext_lazy as _


class FormWindow(models.TextChoices):
    """Whether a form takes submissions, named alike in pages, templates and APIs."""

    OPEN = "open", _("öppet")
    NOT_YET_OPEN = "not_yet_open", _("inte öppet än")
    CLOSED = "closed", _("stängt")
