from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def count_lockout(sender, **kwargs):
    from . import metrics

    metrics.login_lockouts.inc()


class ServingConfig(AppConfig):
    """What serves every request, under the content apps: they may import it,
    it imports none of them (tests/test_import_graph.py)."""

    name = "serving"
    verbose_name = _("Webbserver")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from axes.signals import user_locked_out

        from . import content_changes, frontend_cache, page_cache

        content_changes.connect_signals()
        page_cache.connect_signals()
        user_locked_out.connect(count_lockout, dispatch_uid="metrics_login_lockouts")
        frontend_cache.connect_signals()
