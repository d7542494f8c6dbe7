from .admissions import (
    Admission,
    AdmissionStatus,
    SentEmail,
    StatusEmailTemplate,
)
from .exports import SpreadsheetExport
from .inbox import DataSubjectAction, InboxVisit
from .notes import DuplicateDismissal, Note
from .pages import (
    ContactFormField,
    ContactFormPage,
    InterestFormField,
    InterestFormPage,
)
from .submissions import (
    ContactSubmission,
    DeliveryState,
    InterestSubmission,
    Source,
    Verification,
)
from .subscriptions import OpeningSubscription
from .verification import SpentVerification
from .worker import WorkerHeartbeat

__all__ = [
    "Admission",
    "AdmissionStatus",
    "SentEmail",
    "StatusEmailTemplate",
    "ContactFormField",
    "ContactFormPage",
    "ContactSubmission",
    "DataSubjectAction",
    "DeliveryState",
    "DuplicateDismissal",
    "InboxVisit",
    "InterestFormField",
    "InterestFormPage",
    "InterestSubmission",
    "Note",
    "Source",
    "OpeningSubscription",
    "SpentVerification",
    "SpreadsheetExport",
    "Verification",
    "WorkerHeartbeat",
]
