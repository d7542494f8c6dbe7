"""The communicators run the programme year: they edit and publish intakes and
venues. Programme managers may look at them (the admin home's year panel)."""

from django.db import migrations

EDITORS = "Redaktörer"
MANAGERS = "Programansvariga"

EDITOR_PERMISSIONS = {
    "intake": ["add", "change", "delete", "view", "publish"],
    "venue": ["add", "change", "delete", "view"],
}
MANAGER_PERMISSIONS = {"intake": ["view"], "venue": ["view"]}


def permissions(apps, spec):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("programs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    found = []
    for model, actions in spec.items():
        content_type = ContentType.objects.get(app_label="programs", model=model)
        for action in actions:
            # "publish" is Wagtail's own permission for drafts, made after migrations.
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            found.append(permission)
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, spec in ((EDITORS, EDITOR_PERMISSIONS), (MANAGERS, MANAGER_PERMISSIONS)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*permissions(apps, spec))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, spec in ((EDITORS, EDITOR_PERMISSIONS), (MANAGERS, MANAGER_PERMISSIONS)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*permissions(apps, spec))


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0004_interest_window_from_intakes"),
        ("programs", "0003_intake_drafts"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
