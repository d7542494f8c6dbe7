from .contacts import ContactPerson, InformationOwnerMixin, PageContactPerson
from .intakes import Intake, IntakeStatus, Session, Venue, derive_status
from .pages import (
    ListedPageQuerySet,
    ProgramIndexPage,
    ProgramPage,
    ThemePage,
)
from .snippets import ProgramFormat

__all__ = [
    "ContactPerson",
    "InformationOwnerMixin",
    "Intake",
    "IntakeStatus",
    "ListedPageQuerySet",
    "PageContactPerson",
    "ProgramFormat",
    "ProgramIndexPage",
    "ProgramPage",
    "Session",
    "ThemePage",
    "Venue",
    "derive_status",
]
