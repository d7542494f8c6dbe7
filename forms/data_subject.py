"""Requests from a data subject (GDPR Art. 15 and 17): find, export, erase.

A programme manager types one e-mail address and sees everything stored about
it: the submissions of every form page type (both inboxes, and Wagtail's own
form submissions should a plain form page ever store any) and the admin log's
entries about those submissions. They can export it as one JSON file for a
request to see one's data, or erase it for a request to be forgotten.

Every search, export and erasure is recorded in ``DataSubjectAction``: who,
when, what and how many rows, never the address (see its docstring for the
keyed digest it keeps instead).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import ModelLogEntry

from .deletion import submission_models
from .models import DataSubjectAction
from .permissions import may

DIGEST_SALT = "forms.data_subject"
LOG_KEY = "log_entries"


def may_handle_requests(user) -> bool:
    """Only who may both read and delete every kind of submission."""
    return all(
        may(user, "view", model) and may(user, "delete", model)
        for model in submission_models()
    )


def subject_digest(email: str) -> str:
    return salted_hmac(
        DIGEST_SALT, email.strip().lower(), algorithm="sha256"
    ).hexdigest()


def model_key(model) -> str:
    return model._meta.label_lower


@dataclass
class Findings:
    """What is stored about one address: submissions by model, and log entries."""

    email: str
    submissions: dict = field(default_factory=dict)
    log_entries: list = field(default_factory=list)

    def counts(self) -> dict:
        counts = {
            model_key(model): len(rows) for model, rows in self.submissions.items()
        }
        counts[LOG_KEY] = len(self.log_entries)
        return counts

    def total(self) -> int:
        return sum(self.counts().values())


def submissions_of(model, email):
    """``model``'s submissions sent with ``email``, oldest first."""
    if any(f.name == "email" for f in model._meta.get_fields()):
        rows = model._default_manager.filter(email__iexact=email)
    else:
        # Wagtail's own submissions keep every answer in JSON only.
        rows = model._default_manager.annotate(
            stored=Cast("form_data", TextField())
        ).filter(stored__icontains=email)
    return list(rows.select_related("page").order_by("submit_time"))


def find(email: str) -> Findings:
    email = email.strip()
    findings = Findings(email=email)
    for model in sorted({*submission_models(), FormSubmission}, key=model_key):
        findings.submissions[model] = submissions_of(model, email)
    findings.log_entries = list(log_entries_about(findings))
    return findings


def log_entries_about(findings):
    """Log entries about the found submissions, and any whose label (a
    submission's name at the time) holds the address itself."""
    about = Q(label__icontains=findings.email)
    for model, rows in findings.submissions.items():
        if rows:
            content_type = ContentType.objects.get_for_model(
                model, for_concrete_model=False
            )
            about |= Q(
                content_type=content_type,
                object_id__in=[str(row.pk) for row in rows],
            )
    return ModelLogEntry.objects.filter(about).order_by("timestamp")


def submission_record(submission) -> dict:
    """One submission as the person may read it: its columns and answers."""
    record = {
        _("Formulär"): submission.form_title,
        _("Inskickad"): timezone.localtime(submission.submit_time).isoformat(),
    }
    for name in ("reference", "name", "email", "phone", "organisation", "role"):
        if hasattr(submission, name):
            label = str(submission._meta.get_field(name).verbose_name).capitalize()
            record[label] = getattr(submission, name)
    if hasattr(submission, "get_status_display"):
        record[_("Status")] = submission.get_status_display()
    if hasattr(submission, "programs"):
        record[_("Program")] = [p.title for p in submission.programs.all()]
    answers = getattr(submission, "answers", None)
    record[_("Svar")] = dict(answers()) if answers else submission.get_data()
    return record


def log_record(entry) -> dict:
    return {
        _("Tidpunkt"): timezone.localtime(entry.timestamp).isoformat(),
        _("Händelse"): str(entry.message),
        _("Objekt"): entry.label,
    }


def export_document(findings: Findings) -> dict:
    """Everything found, as one JSON-ready document."""
    document: dict[str, object] = {
        _("E-postadress"): findings.email,
        _("Exporterad"): timezone.localtime().isoformat(),
    }
    for model, rows in findings.submissions.items():
        if rows:
            title = str(model._meta.verbose_name_plural).capitalize()
            document[title] = [submission_record(row) for row in rows]
    document[_("Logg")] = [log_record(entry) for entry in findings.log_entries]
    return document


@transaction.atomic
def erase(findings: Findings) -> dict:
    """Delete the submissions and take the address out of the log.

    Deleting a submission relabels its log entries by reference (see
    ``audit_log``); an entry whose label still holds the address is relabelled
    too. The entries stay, so the log still shows what was done and when.
    """
    counts = findings.counts()
    for rows in findings.submissions.values():
        for row in rows:
            row.delete()
    label = _("Uppgifter raderade på begäran")
    ModelLogEntry.objects.filter(label__icontains=findings.email).update(label=label)
    return counts


def record(user, kind: str, findings: Findings, counts=None) -> DataSubjectAction:
    return DataSubjectAction.objects.create(
        user=user,
        kind=kind,
        subject_digest=subject_digest(findings.email),
        counts=counts if counts is not None else findings.counts(),
    )
