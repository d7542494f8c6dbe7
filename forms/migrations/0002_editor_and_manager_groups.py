"""The two editor groups: communicators edit content, programme managers see people.

"Redaktörer" may add, edit and publish pages anywhere in the tree, edit the
programme snippets, and add and edit images and documents; they get no
permission on submissions. "Programansvariga" get the admin and the submission
models (view, change for the status, delete) and nothing else.

Permissions are created here first, since Django only creates them after the
whole migrate run, and a fresh database has none yet.
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Redaktörer"
MANAGERS = "Programansvariga"

PAGE_PERMISSIONS = ["add", "change", "publish"]
SNIPPET_PERMISSIONS = {
    "programs": {
        "programformat": ["add", "change", "delete", "view"],
        "contactperson": ["add", "change", "delete", "view"],
    },
}
COLLECTION_PERMISSIONS = {
    "wagtailimages": {"image": ["add", "change", "choose"]},
    "wagtaildocs": {"document": ["add", "change", "choose"]},
}
SUBMISSION_PERMISSIONS = {
    "forms": {
        "interestsubmission": ["view", "change", "delete"],
        "contactsubmission": ["view", "change", "delete"],
    },
}


def create_all_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def get_permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    permissions = []
    for app_label, models in spec.items():
        for model, actions in models.items():
            content_type = ContentType.objects.get(app_label=app_label, model=model)
            for action in actions:
                permissions.append(
                    Permission.objects.get(
                        content_type=content_type, codename=f"{action}_{model}"
                    )
                )
    return permissions


def access_admin(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )


def grant_page_permissions(apps, group):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    page_app, page_model = settings.WAGTAIL_PAGE_MODEL.split(".")
    Page = apps.get_model(page_app, page_model)
    root = Page.objects.filter(depth=1).order_by("path").first()
    model = page_model.lower()
    for permission in get_permissions(apps, {page_app: {model: PAGE_PERMISSIONS}}):
        GroupPagePermission.objects.get_or_create(
            group=group, page=root, permission=permission
        )


def grant_collection_permissions(apps, group):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    for permission in get_permissions(apps, COLLECTION_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    create_all_permissions(apps)
    admin = access_admin(apps)

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(admin, *get_permissions(apps, SNIPPET_PERMISSIONS))
    grant_page_permissions(apps, editors)
    grant_collection_permissions(apps, editors)

    managers, _ = Group.objects.get_or_create(name=MANAGERS)
    managers.permissions.add(admin, *get_permissions(apps, SUBMISSION_PERMISSIONS))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[EDITORS, MANAGERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0001_initial"),
        ("programs", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
