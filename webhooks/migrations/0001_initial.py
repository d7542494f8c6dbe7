import django.db.models.deletion
import uuid
import webhooks.models
import webhooks.signing
from django.db import migrations, models

# These models were home's until the webhooks had an app of their own. Their
# tables stay as they are (``Meta.db_table``): this migration only tells
# Django's state that they are now this app's, and home's 0004 forgets them.
# The content types are renamed, not created anew, so the permissions on them
# (and every group or user given one) keep working.
MODELS = ["webhook", "webhookdelivery"]
# Deliveries still queued name their task by its import path.
OLD_TASKS, NEW_TASKS = "home.webhooks.tasks.", "webhooks.tasks."


def move(apps, from_app, to_app, from_tasks, to_tasks):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=to_app, model=model).exists():
            ContentType.objects.filter(app_label=from_app, model=model).update(
                app_label=to_app
            )
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for result in DBTaskResult.objects.filter(task_path__startswith=from_tasks):
        result.task_path = to_tasks + result.task_path.removeprefix(from_tasks)
        result.save(update_fields=["task_path"])


def forwards(apps, schema_editor):
    move(apps, "home", "webhooks", OLD_TASKS, NEW_TASKS)


def backwards(apps, schema_editor):
    move(apps, "webhooks", "home", NEW_TASKS, OLD_TASKS)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("home", "0003_editors_manage_api_tokens"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Webhook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='namn')),
                        ('url', models.URLField(help_text='Dit händelserna skickas med POST. Bara publika adresser; https i drift.', max_length=500, validators=[webhooks.models.validate_url], verbose_name='adress')),
                        ('secret', models.CharField(default=webhooks.signing.generate_secret, help_text='Mottagaren kontrollerar signaturen (webhook-signature) med den här hemligheten. Kopiera den till mottagaren; byt den om den har läckt.', max_length=100, validators=[webhooks.models.validate_secret], verbose_name='hemlighet')),
                        ('events', models.JSONField(default=list, verbose_name='händelser')),
                        ('active', models.BooleanField(default=True, help_text='En inaktiv webbhook får inget.', verbose_name='aktiv')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
                    ],
                    options={
                        'verbose_name': 'webbhook',
                        'verbose_name_plural': 'webbhookar',
                        'db_table': 'home_webhook',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event_id', models.UUIDField(default=uuid.uuid4, verbose_name='händelse-id')),
                        ('event', models.CharField(choices=[('page.published', 'Sida publicerad'), ('page.unpublished', 'Sida avpublicerad'), ('page.moved', 'Sida flyttad'), ('page.deleted', 'Sida raderad'), ('snippet.saved', 'Snutt sparad')], max_length=30, verbose_name='händelse')),
                        ('body', models.TextField(verbose_name='innehåll')),
                        ('status', models.CharField(choices=[('pending', 'Väntar'), ('sending', 'Skickas'), ('retrying', 'Nytt försök planerat'), ('delivered', 'Levererad'), ('failed', 'Misslyckad')], default='pending', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='försök')),
                        ('response_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='svarskod')),
                        ('last_error', models.TextField(blank=True, verbose_name='senaste fel')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='skapad')),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='senaste försök')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='nästa försök')),
                        ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='levererad')),
                        ('webhook', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='webhooks.webhook', verbose_name='webbhook')),
                    ],
                    options={
                        'verbose_name': 'webbhookleverans',
                        'verbose_name_plural': 'webbhookleveranser',
                        'db_table': 'home_webhookdelivery',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.UniqueConstraint(fields=('webhook', 'event_id'), name='webhook_delivery_once_per_event')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
