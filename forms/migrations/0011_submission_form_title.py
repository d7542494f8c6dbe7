"""Each submission keeps the title of the form it was sent under.

Rows stored before get the title of the revision that was live when they were
sent, as the page's publish log tells (the log entry's label where the revision
has since been purged); a row sent before any publish the log knows of gets the
page's current title. Only the empty column is filled: no row is deleted.
"""

from django.db import migrations, models

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
SUBMISSION_MODELS = ("InterestSubmission", "ContactSubmission")


def titles_over_time(apps, page_id):
    """(published at, title) for each publish of the page, oldest first."""
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")
    Revision = apps.get_model("wagtailcore", "Revision")
    entries = list(
        PageLogEntry.objects.filter(page_id=page_id, action__in=PUBLISH_ACTIONS)
        .order_by("timestamp", "id")
        .values_list("timestamp", "revision_id", "label")
    )
    revisions = Revision.objects.in_bulk(
        [revision_id for _, revision_id, _ in entries if revision_id]
    )
    titles = []
    for timestamp, revision_id, label in entries:
        revision = revisions.get(revision_id)
        title = (revision.content or {}).get("title") if revision else None
        if title or label:
            titles.append((timestamp, title or label))
    return titles


def fill_form_titles(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    for name in SUBMISSION_MODELS:
        model = apps.get_model("forms", name)
        blank = model.objects.filter(form_title="")
        page_ids = blank.order_by().values_list("page_id", flat=True).distinct()
        for page_id in list(page_ids):
            rows = blank.filter(page_id=page_id)
            # Newest first, each publish taking the blank rows sent since it.
            for published_at, title in reversed(titles_over_time(apps, page_id)):
                rows.filter(submit_time__gte=published_at).update(
                    form_title=title[:255]
                )
            current = Page.objects.filter(pk=page_id).values_list("title", flat=True)
            rows.update(form_title=current.first() or "")


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0010_unverified_submissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactsubmission",
            name="form_title",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="formulär"
            ),
        ),
        migrations.AddField(
            model_name="interestsubmission",
            name="form_title",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="formulär"
            ),
        ),
        migrations.RunPython(fill_form_titles, migrations.RunPython.noop),
    ]
