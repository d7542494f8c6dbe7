from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    verbose_name = _("Formulär")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from programs.public_status import register_public_status_rule
        from programs.rollover import intakes_rolled_over

        from .audit_log import anonymise_log_entries
        from .models import (
            ContactFormPage,
            ContactSubmission,
            InterestFormPage,
            InterestSubmission,
        )
        from .public_status_rule import intake_public_status
        from .rollover import prepare_interest_forms
        from .tasks import form_page_saved

        # A form page given recipients sends the notifications skipped without them.
        for model in (InterestFormPage, ContactFormPage):
            post_save.connect(
                form_page_saved,
                sender=model,
                dispatch_uid=f"forms_recipients_{model._meta.model_name}",
            )
        # The APIs report each intake with the status its page shows.
        register_public_status_rule(intake_public_status)
        # "Ny antagning" prepares the interest form for the new year as a draft.
        intakes_rolled_over.connect(
            prepare_interest_forms, dispatch_uid="forms_prepare_interest_forms"
        )
        # A deleted or purged submission leaves no name in Wagtail's log.
        for model in (InterestSubmission, ContactSubmission):
            post_delete.connect(
                anonymise_log_entries,
                sender=model,
                dispatch_uid=f"forms_anonymise_log_{model._meta.model_name}",
            )
