from .exports import SpreadsheetExport
from .pages import (
    ContactFormField,
    ContactFormPage,
    InterestFormField,
    InterestFormPage,
)
from .submissions import ContactSubmission, DeliveryState, InterestSubmission
from .verification import SpentVerification

__all__ = [
    "ContactFormField",
    "ContactFormPage",
    "ContactSubmission",
    "DeliveryState",
    "InterestFormField",
    "InterestFormPage",
    "InterestSubmission",
    "SpentVerification",
    "SpreadsheetExport",
]
