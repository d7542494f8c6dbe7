from django.db import models
from django.utils.translation import gettext_lazy as _


class OpeningSubscription(models.Model):
    """ "Meddela mig när anmälan öppnar": an address for one e-mail.

    Confirmed through a signed link (double opt-in); deleted once the e-mail
    about the opening is sent, or after a few days if never confirmed.
    """

    email = models.EmailField(_("e-post"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("bevakning av anmälan")
        verbose_name_plural = _("bevakningar av anmälan")

    def __str__(self):
        return self.email
