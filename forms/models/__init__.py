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
from .tally import AddressTally, InboxTally, ProgrammeTally, SharedAddress
from .verification import SpentVerification
from .worker import WorkerHeartbeat

__all__ = [
    "AddressTally",
    "Admission",
    "AdmissionStatus",
    "SentEmail",
    "SharedAddress",
    "StatusEmailTemplate",
    "ContactFormField",
    "ContactFormPage",
    "ContactSubmission",
    "DataSubjectAction",
    "DeliveryState",
    "DuplicateDismissal",
    "InboxTally",
    "InboxVisit",
    "InterestFormField",
    "InterestFormPage",
    "InterestSubmission",
    "Note",
    "Source",
    "OpeningSubscription",
    "ProgrammeTally",
    "SpentVerification",
    "SpreadsheetExport",
    "Verification",
    "WorkerHeartbeat",
]
