from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development-only commands and generators: installed by cms.settings.dev
    and cms.settings.test, never by production. Nothing at run time imports
    it; it may import any app."""

    name = "devtools"
    verbose_name = "Utvecklingsverktyg"
