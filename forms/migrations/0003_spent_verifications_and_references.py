from django.db import migrations, models

import forms.models.submissions

SUBMISSION_MODELS = ("interestsubmission", "contactsubmission")


def give_each_submission_a_reference(apps, schema_editor):
    for name in SUBMISSION_MODELS:
        model = apps.get_model("forms", name)
        for submission in model.objects.filter(reference__isnull=True).only("pk"):
            submission.reference = forms.models.submissions.new_reference()
            submission.save(update_fields=["reference"])


def reference_field(**options):
    return models.CharField(
        verbose_name="referens", max_length=16, editable=False, **options
    )


class Migration(migrations.Migration):
    dependencies = [("forms", "0002_editor_and_manager_groups")]

    operations = [
        migrations.CreateModel(
            name="SpentVerification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("key", models.CharField(max_length=128, unique=True)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "verbose_name": "använd verifiering",
                "verbose_name_plural": "använda verifieringar",
            },
        ),
        migrations.AddField(
            model_name="contactsubmission",
            name="role",
            field=models.CharField(blank=True, max_length=255, verbose_name="roll"),
        ),
        # A unique column for rows that exist: added empty, filled, then unique.
        *(
            migrations.AddField(name, "reference", reference_field(null=True))
            for name in SUBMISSION_MODELS
        ),
        migrations.RunPython(
            give_each_submission_a_reference, migrations.RunPython.noop
        ),
        *(
            migrations.AlterField(
                name,
                "reference",
                reference_field(
                    default=forms.models.submissions.new_reference, unique=True
                ),
            )
            for name in SUBMISSION_MODELS
        ),
    ]
