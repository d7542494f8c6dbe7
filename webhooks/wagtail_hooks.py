from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import ReadOnlyPolicy, WebhookDeliveryViewSet, WebhookViewSet
from .models import WebhookDelivery

register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return [WebhookViewSet("webhooks"), WebhookDeliveryViewSet("webhook_deliveries")]
