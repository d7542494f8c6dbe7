"""The webhooks and their delivery log in the Wagtail admin (Inställningar).

Who may do what follows Django's model permissions: superusers, and groups an
administrator gives the webhook permissions. The log is read-only for everyone:
it records what was sent, and the purge command is what removes it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Webhook, WebhookDelivery, WebhookEvent


class WebhookForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("Händelser"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Det som skickas till adressen."),
        error_messages={"required": _("Välj minst en händelse.")},
    )


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link-external"
    menu_label = _("Webbhookar")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = [
        "name",
        "url",
        "event_labels",
        BooleanColumn("active", label=_("Aktiv")),
    ]
    list_filter = ["active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("secret"),
            FieldPanel("events"),
            FieldPanel("active"),
        ],
        base_form_class=WebhookForm,
    )


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing as the model permissions say; adding and changing for nobody."""

    READ_ONLY = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.READ_ONLY and super().user_has_permission(
            user, action
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Webbhooklogg")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "status",
        "response_code",
        "attempts",
        DateColumn("created_at", label=_("Skapad")),
        DateColumn("last_attempt_at", label=_("Senaste försök")),
    ]
    list_filter = ["status", "event", "webhook"]
    inspect_view_fields = [
        "webhook",
        "event",
        "event_id",
        "status",
        "attempts",
        "response_code",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "body",
    ]
    form_fields: list[str] = []

    def get_permissions_to_register(self):
        """Only "view" can be given to a group: the log is nobody's to edit."""
        return (
            super().get_permissions_to_register().filter(codename__startswith="view_")
        )
