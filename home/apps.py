from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Startsida")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .api_v3.pagination import bound_pagination
        from .api_v3.schemas import register_page_schemas

        # Both before Wagtail's v3 routers are imported (they read them then).
        bound_pagination()
        register_page_schemas()
