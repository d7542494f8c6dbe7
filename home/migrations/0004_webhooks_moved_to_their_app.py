"""The webhook models moved to their own app (webhooks 0001): home forgets them,
the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_editors_manage_api_tokens"),
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="webhookdelivery",
                    name="webhook",
                ),
                migrations.DeleteModel(
                    name="Webhook",
                ),
                migrations.DeleteModel(
                    name="WebhookDelivery",
                ),
            ],
            database_operations=[],
        ),
    ]
