from .admissions import (
    Admission,
    AdmissionStatus,
    SentEmail,
    StatusEmailTemplate,
)
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
from .subscriptions import OpeningSubscription
from .verification import SpentVerification

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
    "InboxVisit",
    "InterestFormField",
    "InterestFormPage",
    "InterestSubmission",
    "OpeningSubscription",
    "SpentVerification",
    "SpreadsheetExport",
    "Verification",
]
