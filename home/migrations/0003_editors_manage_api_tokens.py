"""Communicators ("Redaktörer") manage their own API tokens for the v3 API.

Wagtail's token views (Inställningar → API-nycklar) let a user with these
permissions create, rename and revoke tokens for themselves; only someone who
may change users (an administrator) makes tokens for others.
"""

from django.db import migrations

EDITORS = "Redaktörer"
TOKEN_PERMISSIONS = ["add_apitoken", "change_apitoken", "delete_apitoken"]


def token_permissions(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are created after the whole migrate run; a fresh database
    # has none for the token model yet.
    app_config = apps.get_app_config("wagtailcore")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=TOKEN_PERMISSIONS
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.add(*token_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.remove(*token_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_webhooks"),
        ("forms", "0002_editor_and_manager_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
