from .exports import SpreadsheetExport
from .inbox import DataSubjectAction, InboxVisit
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
    Verification,
)
from .verification import SpentVerification
from .worker import WorkerHeartbeat

__all__ = [
    "ContactFormField",
    "ContactFormPage",
    "ContactSubmission",
    "DataSubjectAction",
    "DeliveryState",
    "InboxVisit",
    "InterestFormField",
    "InterestFormPage",
    "InterestSubmission",
    "SpentVerification",
    "SpreadsheetExport",
    "Verification",
    "WorkerHeartbeat",
]
