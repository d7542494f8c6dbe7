from django.utils.translation import gettext_lazy as _

from wagtail import hooks

# Wagtail 8.0 has no Swedish for its API token views' menu item yet.
API_TOKENS_MENU_NAME = "api_tokens"


@hooks.register("construct_settings_menu")
def name_api_tokens_in_swedish(request, menu_items):
    for item in menu_items:
        if item.name == API_TOKENS_MENU_NAME:
            item.label = _("API-nycklar")
