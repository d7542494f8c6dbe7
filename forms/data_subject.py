"""Requests from a data subject (GDPR Art. 15, 16 and 17): find, export, erase.

A programme manager types an e-mail address, a name or a phone number (any of
them; a phone number however it is written: "070-123 45 67" finds
"+46701234567") and sees everything stored about the person: the submissions
of every form page type (both inboxes, and Wagtail's own form submissions
should a plain form page ever store any), the admin log's entries about those
submissions, and the XLSX exports, kept for ``EXPORT_RETENTION_HOURS``, whose
rows hold one of the person's submissions. They can export it as one JSON file
for a request to see one's data (the exports' rows about the person included),
or erase it for a request to be forgotten (the exports holding the person are
deleted with it: they are copies, made again from the inbox when needed).
Correction (Art. 16) is done on the submission itself: ``forms.correction``.

Every search, export and erasure is recorded in ``DataSubjectAction``: who,
when, what and how many rows, never the address (see its docstring for the
keyed digest it keeps instead).
"""

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import ModelLogEntry

from .deletion import submission_models
from .models import DataSubjectAction, SpreadsheetExport
from .permissions import may

DIGEST_SALT = "forms.data_subject"
LOG_KEY = "log_entries"
EXPORTS_KEY = "exports"
# What people put between the digits of a phone number.
PHONE_SEPARATORS = (" ", "-", "(", ")", ".", "/")
SWEDEN = "46"


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


def normalised_phone(text: str) -> str:
    """A phone number in international form: "070-123 45 67" is "+46701234567",
    "0046 70 123 45 67" too; "" for text that is no phone number."""
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    if text.strip().startswith("+"):
        return f"+{digits}"
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    if digits.startswith("0"):
        return f"+{SWEDEN}{digits[1:]}"
    return f"+{digits}"


def phone_spellings(text: str) -> list[str]:
    """How one number may be stored once its separators are gone."""
    number = normalised_phone(text)
    if not number:
        return []
    spellings = [number, f"00{number[1:]}"]
    if number.startswith(f"+{SWEDEN}"):
        spellings.append(f"0{number[1 + len(SWEDEN) :]}")
    return spellings


def digits_only(field_name):
    """The column with the usual separators taken out, in the database."""
    expression = field_name
    for separator in PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


@dataclass
class Findings:
    """What is stored about one person: submissions by model, log entries and
    the exports that hold them. ``email``, ``name`` and ``phone`` are what was
    searched for; any of them may be empty."""

    email: str
    name: str = ""
    phone: str = ""
    submissions: dict = field(default_factory=dict)
    log_entries: list = field(default_factory=list)
    exports: list = field(default_factory=list)

    def counts(self) -> dict:
        counts = {
            model_key(model): len(rows) for model, rows in self.submissions.items()
        }
        counts[LOG_KEY] = len(self.log_entries)
        counts[EXPORTS_KEY] = len(self.exports)
        return counts

    def subject_key(self) -> str:
        """What the keyed digest is of: the address alone when only it was
        given, so that digests of address searches stay comparable."""
        parts = [self.email.strip().lower()]
        if self.name:
            parts.append(f"namn:{self.name.strip().lower()}")
        if self.phone:
            parts.append(f"telefon:{normalised_phone(self.phone)}")
        return "|".join(parts)

    def terms(self) -> list[str]:
        """What a log label or an export cell that names the person contains."""
        return [term for term in (self.email, self.name.strip()) if term]

    def total(self) -> int:
        return sum(self.counts().values())


def submissions_of(model, findings):
    """``model``'s submissions sent with the address, the name or the phone
    number searched for, oldest first."""
    if any(f.name == "email" for f in model._meta.get_fields()):
        about = Q(pk__in=[])
        if findings.email:
            about |= Q(email__iexact=findings.email)
        if findings.name.strip():
            about |= Q(name__iexact=findings.name.strip())
        spellings = phone_spellings(findings.phone)
        if spellings:
            about |= Q(phone_digits__in=spellings)
        rows = model._default_manager.alias(phone_digits=digits_only("phone"))
        rows = rows.filter(about)
    elif findings.email:
        # Wagtail's own submissions keep every answer in JSON only.
        rows = model._default_manager.annotate(
            stored=Cast("form_data", TextField())
        ).filter(stored__icontains=findings.email)
    else:
        return []
    return list(rows.select_related("page").order_by("submit_time"))


def find(email: str = "", name: str = "", phone: str = "") -> Findings:
    findings = Findings(email=email.strip(), name=name.strip(), phone=phone.strip())
    for model in sorted({*submission_models(), FormSubmission}, key=model_key):
        findings.submissions[model] = submissions_of(model, findings)
    findings.log_entries = list(log_entries_about(findings))
    findings.exports = exports_holding(findings)
    return findings


@dataclass
class ExportHit:
    """A kept XLSX export with rows about the person: the export, its headings
    and those rows."""

    export: SpreadsheetExport
    headings: list
    rows: list


def exports_holding(findings) -> list[ExportHit]:
    """The kept exports with a row that is one of the person's submissions
    (its reference in a cell) or names the person (the address in a cell).

    Only a day's exports are kept, so reading each file is cheap enough.
    """
    references = {
        row.reference
        for rows in findings.submissions.values()
        for row in rows
        if getattr(row, "reference", "")
    }
    email = findings.email.lower()
    hits = []
    ready = SpreadsheetExport.objects.filter(
        state=SpreadsheetExport.State.READY
    ).exclude(file="")
    for export in ready.select_related("created_by"):
        headings, rows = rows_about(export, references, email)
        if rows:
            hits.append(ExportHit(export=export, headings=headings, rows=rows))
    return hits


def rows_about(export, references, email):
    from openpyxl import load_workbook

    try:
        with export.file.open("rb") as file:
            workbook = load_workbook(file, read_only=True)
            sheet = workbook.worksheets[0]
            lines = sheet.iter_rows(values_only=True)
            headings = [str(cell or "") for cell in next(lines, ())]
            rows = [
                ["" if cell is None else str(cell) for cell in line]
                for line in lines
                if any(
                    isinstance(cell, str)
                    and (cell in references or (email and cell.lower() == email))
                    for cell in line
                )
            ]
            workbook.close()
    except FileNotFoundError:
        return [], []
    return headings, rows


def log_entries_about(findings):
    """Log entries about the found submissions, and any whose label (a
    submission's name at the time) holds the address itself."""
    about = Q(pk__in=[])
    for term in findings.terms():
        about |= Q(label__icontains=term)
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
    if findings.name:
        document[_("Namn")] = findings.name
    if findings.phone:
        document[_("Telefon")] = findings.phone
    for model, rows in findings.submissions.items():
        if rows:
            title = str(model._meta.verbose_name_plural).capitalize()
            document[title] = [submission_record(row) for row in rows]
    document[_("Logg")] = [log_record(entry) for entry in findings.log_entries]
    document[_("Sparade exporter")] = [export_record(hit) for hit in findings.exports]
    return document


def export_record(hit) -> dict:
    return {
        _("Beställd"): timezone.localtime(hit.export.created_at).isoformat(),
        _("Rader"): [dict(zip(hit.headings, row, strict=False)) for row in hit.rows],
    }


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
    for term in findings.terms():
        ModelLogEntry.objects.filter(label__icontains=term).update(label=label)
    for hit in findings.exports:
        # The whole file: it is a copy, and can be made again without the person.
        hit.export.file.delete(save=False)
        hit.export.delete()
    return counts


def record(user, kind: str, findings: Findings, counts=None) -> DataSubjectAction:
    return DataSubjectAction.objects.create(
        user=user,
        kind=kind,
        subject_digest=subject_digest(findings.subject_key()),
        counts=counts if counts is not None else findings.counts(),
    )
