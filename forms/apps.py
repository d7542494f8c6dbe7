from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    verbose_name = _("Formulär")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .audit_log import anonymise_log_entries
        from .models import (
            ContactFormPage,
            ContactSubmission,
            InterestFormPage,
            InterestSubmission,
        )
        from .tasks import form_page_saved

        # A form page given recipients sends the notifications skipped without them.
        for model in (InterestFormPage, ContactFormPage):
            post_save.connect(
                form_page_saved,
                sender=model,
                dispatch_uid=f"forms_recipients_{model._meta.model_name}",
            )
        # A deleted or purged submission leaves no name in Wagtail's log.
        for model in (InterestSubmission, ContactSubmission):
            post_delete.connect(
                anonymise_log_entries,
                sender=model,
                dispatch_uid=f"forms_anonymise_log_{model._meta.model_name}",
            )
