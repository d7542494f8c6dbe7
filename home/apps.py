from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms import metrics


def count_lockout(sender, **kwargs):
    metrics.login_lockouts.inc()


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Startsida")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from axes.signals import user_locked_out

        from . import content_changes, frontend_cache, page_cache
        from .api_v3.pagination import bound_pagination
        from .api_v3.schemas import register_page_schemas
        from .webhooks import events

        content_changes.connect_signals()
        page_cache.connect_signals()
        user_locked_out.connect(count_lockout, dispatch_uid="metrics_login_lockouts")
        frontend_cache.connect_signals()
        events.connect_signals()
        # Both before Wagtail's v3 routers are imported (they read them then).
        bound_pagination()
        register_page_schemas()
