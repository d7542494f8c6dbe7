from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .webhooks.admin import ReadOnlyPolicy, WebhookDeliveryViewSet, WebhookViewSet
from .webhooks.models import WebhookDelivery

register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))

# Wagtail 8.0 has no Swedish for its API token views' menu item yet.
API_TOKENS_MENU_NAME = "api_tokens"


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return [WebhookViewSet("webhooks"), WebhookDeliveryViewSet("webhook_deliveries")]


@hooks.register("construct_settings_menu")
def name_api_tokens_in_swedish(request, menu_items):
    for item in menu_items:
        if item.name == API_TOKENS_MENU_NAME:
            item.label = _("API-nycklar")
