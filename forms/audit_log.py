"""Wagtail's log keeps what was done to a submission, not who sent it.

A log entry's label is the object's name at the time, and a submission's name is
the sender's. When the submission goes (deleted in the inbox, or purged at the
end of its retention), the person's name must go from the log too; the entry
itself stays, so the log still shows who deleted what and when.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from wagtail.models import ModelLogEntry


def anonymise_log_entries(sender, instance, **kwargs):
    """``post_delete`` of a submission: relabel its log entries by reference."""
    content_type = ContentType.objects.get_for_model(sender, for_concrete_model=False)
    label = _("%(kind)s %(reference)s (raderad)") % {
        "kind": sender._meta.verbose_name.capitalize(),
        "reference": instance.reference,
    }
    ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(instance.pk)
    ).update(label=label)
