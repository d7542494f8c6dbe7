"""Intakes get dates, sessions and venues; their status is derived from the dates.

The hand-set status becomes what the dates or an override say, so readers see
the same status before and after the migration:
- planned needs nothing: an intake without dates is planned;
- interest open becomes an interest window opened now, with no closing time
  (the editor closes it by setting a closing time);
- registration closed, running and finished cannot be derived without session
  dates, which the old intakes never had, so they become the override.
The old start and end dates were display-only and are not kept.
"""

import datetime

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
import wagtail.search.index
from django.db import migrations, models
from django.utils import timezone

OVERRIDES = {
    "registration_closed": "interest_closed",
    "running": "running",
    "finished": "finished",
}


def hand_set_status_to_dates(apps, schema_editor):
    Intake = apps.get_model("programs", "Intake")
    now = timezone.now()
    for intake in Intake.objects.all():
        if intake.status == "interest_open":
            intake.interest_opens_at = now
        elif intake.status in OVERRIDES:
            intake.status_override = OVERRIDES[intake.status]
        intake.save(update_fields=["interest_opens_at", "status_override"])


def dates_to_hand_set_status(apps, schema_editor):
    Intake = apps.get_model("programs", "Intake")
    backwards = {new: old for old, new in OVERRIDES.items()}
    for intake in Intake.objects.all():
        if intake.status_override:
            intake.status = backwards.get(intake.status_override, "planned")
        elif intake.interest_opens_at and not intake.interest_closes_at:
            intake.status = "interest_open"
        else:
            intake.status = "planned"
        intake.save(update_fields=["status"])


STATUS_CHOICES = [
    ("planned", "Planerad"),
    ("interest_open", "Intresseanmälan öppen"),
    ("interest_closed", "Intresseanmälan stängd"),
    ("running", "Pågår"),
    ("finished", "Avslutad"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="intake", name="unique_intake_year_per_program"
        ),
        migrations.RenameField(model_name="intake", old_name="page", new_name="program"),
        migrations.AlterField(
            model_name="intake",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="intakes",
                to="programs.programpage",
                verbose_name="program",
            ),
        ),
        migrations.AddField(
            model_name="intake",
            name="interest_opens_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Lämna tomt så länge intresseanmälan inte ska öppna.",
                null=True,
                verbose_name="intresseanmälan öppnar",
            ),
        ),
        migrations.AddField(
            model_name="intake",
            name="interest_closes_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Lämna tomt för att hålla intresseanmälan öppen tills vidare.",
                null=True,
                verbose_name="intresseanmälan stänger",
            ),
        ),
        migrations.AddField(
            model_name="intake",
            name="status_override",
            field=models.CharField(
                blank=True,
                choices=STATUS_CHOICES,
                help_text="Lämna tomt så räknas statusen fram ur datumen. Välj bara en status när datumen inte räcker, t.ex. om antagningen är inställd.",
                max_length=32,
                verbose_name="visa status",
            ),
        ),
        migrations.AddField(
            model_name="intake",
            name="notice",
            field=models.CharField(
                blank=True,
                help_text="Visas vid antagningen, t.ex. 'Inställt' eller 'Fullbokat'.",
                max_length=255,
                verbose_name="meddelande till besökare",
            ),
        ),
        migrations.RunPython(hand_set_status_to_dates, dates_to_hand_set_status),
        migrations.RemoveField(model_name="intake", name="status"),
        migrations.RemoveField(model_name="intake", name="start_date"),
        migrations.RemoveField(model_name="intake", name="end_date"),
        migrations.RemoveField(model_name="intake", name="sort_order"),
        migrations.AlterModelOptions(
            name="intake",
            options={
                "ordering": ["program", "year"],
                "verbose_name": "antagning",
                "verbose_name_plural": "antagningar",
            },
        ),
        migrations.AddConstraint(
            model_name="intake",
            constraint=models.UniqueConstraint(
                fields=("program", "year"), name="unique_intake_year_per_program"
            ),
        ),
        migrations.CreateModel(
            name="Venue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="namn")),
                ("street_address", models.CharField(blank=True, help_text="Lämna tomt om adressen inte ska visas eller inte är känd.", max_length=200, verbose_name="gatuadress")),
                ("town", models.CharField(blank=True, max_length=100, verbose_name="ort")),
            ],
            options={
                "verbose_name": "kursgård",
                "verbose_name_plural": "kursgårdar",
                "ordering": ["name"],
            },
            bases=(wagtail.search.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name="Session",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("date", models.DateField(blank=True, help_text="Lämna tomt tills datumet är bestämt.", null=True, verbose_name="datum dag 1")),
                ("days", models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(7)], verbose_name="antal dagar")),
                ("start_time", models.TimeField(default=datetime.time(10, 0), help_text="Första dagen.", verbose_name="starttid")),
                ("end_time", models.TimeField(default=datetime.time(13, 0), help_text="Sista dagen.", verbose_name="sluttid")),
                ("end_time_is_approximate", models.BooleanField(default=True, help_text="Visar 'ca' före sluttiden.", verbose_name="sluttiden är ungefärlig")),
                ("evening_activity", models.BooleanField(default=True, verbose_name="kvällsaktivitet ingår")),
                ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                ("intake", modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="sessions", to="programs.intake")),
                ("venue", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="sessions", to="programs.venue", verbose_name="kursgård")),
            ],
            options={
                "verbose_name": "träff",
                "verbose_name_plural": "träffar",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
    ]
