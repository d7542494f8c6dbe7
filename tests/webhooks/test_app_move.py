"""The webhook models left ``home`` for their own app without losing a row.

Migrating back to main's state before the move (home 0003, the models home's)
and forward again is what an upgrade does: the rows written while they were
home's are still there, the permissions a group was given still hold, and a
delivery still queued names the task where it now lives.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import pytest

BEFORE_THE_MOVE = [("home", "0003_editors_manage_api_tokens"), ("webhooks", None)]


def migrate(targets):
    """Migrate to ``targets``; the models as the applied migrations have them."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    applied = [key for key in loader.applied_migrations if key in loader.graph.nodes]
    return loader.project_state(applied).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_an_upgrade_keeps_webhooks_their_deliveries_and_permissions():
    from django.contrib.auth.management import create_permissions

    old = migrate(BEFORE_THE_MOVE)
    home = old.get_app_config("home")
    home.models_module = True
    create_permissions(home, apps=old, verbosity=0)
    home.models_module = None
    Webhook = old.get_model("home", "Webhook")
    WebhookDelivery = old.get_model("home", "WebhookDelivery")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    DBTaskResult = old.get_model("django_tasks_database", "DBTaskResult")
    hook = Webhook.objects.create(
        name="Front-end", url="https://example.se/hook", events=["page.published"]
    )
    WebhookDelivery.objects.create(webhook=hook, event="page.published", body="{}")
    group = Group.objects.create(name="Webbhooksansvariga")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="home", codename="change_webhook"
        )
    )
    DBTaskResult.objects.create(
        task_path="home.webhooks.tasks.deliver_webhook",
        queue_name="default",
        backend_name="default",
        args_kwargs={"args": [1], "kwargs": {}},
        run_after=timezone.now(),
    )

    migrate(latest())

    from django.contrib.auth.models import Group as CurrentGroup
    from django.contrib.contenttypes.models import ContentType

    from django_tasks_db.models import DBTaskResult as CurrentTaskResult

    from webhooks.models import Webhook as MovedWebhook

    ContentType.objects.clear_cache()
    moved = MovedWebhook.objects.get()
    assert moved.name == "Front-end"
    assert moved.deliveries.get().event == "page.published"
    assert not ContentType.objects.filter(
        app_label="home", model__startswith="webhook"
    ).exists()
    assert (
        CurrentGroup.objects.get(name="Webbhooksansvariga")
        .permissions.filter(content_type__app_label="webhooks")
        .values_list("codename", flat=True)
        .get()
        == "change_webhook"
    )
    queued = CurrentTaskResult.objects.get()
    assert queued.task_path == "webhooks.tasks.deliver_webhook"
