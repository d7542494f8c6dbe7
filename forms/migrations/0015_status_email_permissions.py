"""Communicators word the status e-mails; programme managers read them (the
preview) and may word them too."""

from django.db import migrations

EDITORS = "Redaktörer"
MANAGERS = "Programansvariga"
ACTIONS = ("add", "change", "view")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("forms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    permissions = Permission.objects.filter(
        content_type__app_label="forms",
        codename__in=[f"{action}_statusemailtemplate" for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=[EDITORS, MANAGERS]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0014_opening_subscriptions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
