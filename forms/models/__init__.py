from .pages import (
    ContactFormField,
    ContactFormPage,
    InterestFormField,
    InterestFormPage,
)
from .submissions import ContactSubmission, DeliveryState, InterestSubmission

__all__ = [
    "ContactFormField",
    "ContactFormPage",
    "ContactSubmission",
    "DeliveryState",
    "InterestFormField",
    "InterestFormPage",
    "InterestSubmission",
]
