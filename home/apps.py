from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Startsida")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .api_v3.schemas import register_page_schemas
        from .page_cache import connect_signals

        connect_signals()
        register_page_schemas()
