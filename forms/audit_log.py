"""Wagtail's log keeps what was done to a submission, not who sent it.

A log entry's label is the object's name at the time, and a submission's name is
the sender's. When the submission goes (deleted in the inbox, or purged at the
end of its retention), the person's name must go from the log too; the entry
itself stays, so the log still shows who deleted what and when.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from wagtail.models import ModelLogEntry


def deleted_label(model, reference):
    return _("%(kind)s %(reference)s (raderad)") % {
        "kind": model._meta.verbose_name.capitalize(),
        "reference": reference,
    }


def log_entries(model, object_ids):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return ModelLogEntry.objects.filter(
        content_type=content_type, object_id__in=object_ids
    )


def anonymise_log_entries(sender, instance, **kwargs):
    """``post_delete`` of a submission: relabel its log entries by reference."""
    log_entries(sender, [str(instance.pk)]).update(
        label=deleted_label(sender, instance.reference)
    )


def anonymise_log_entries_in_bulk(model, references):
    """The purge's way, for submissions deleted without signals: ``references``
    maps each submission's id to its reference. One query finds the few that
    have log entries at all; only those are relabelled."""
    by_id = {str(pk): reference for pk, reference in references.items()}
    logged = set(log_entries(model, by_id).values_list("object_id", flat=True))
    for object_id in logged:
        log_entries(model, [object_id]).update(
            label=deleted_label(model, by_id[object_id])
        )
