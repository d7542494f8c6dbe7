from django.db import models
from django.utils.translation import gettext_lazy as _


class SpentVerification(models.Model):
    """A solved verification that has been used, kept until it would expire anyway.

    Replay protection lives here, not in the cache: a cache may forget (Redis
    restarts empty), and a solution it forgot could be sent again. The key is
    unique, so two requests racing with one solution cannot both claim it.
    """

    key = models.CharField(max_length=128, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("använd verifiering")
        verbose_name_plural = _("använda verifieringar")

    def __str__(self):
        return self.key
