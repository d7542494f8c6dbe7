from .contacts import ContactPerson, InformationOwnerMixin, PageContactPerson
from .pages import (
    Intake,
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
    "ListedPageQuerySet",
    "PageContactPerson",
    "ProgramFormat",
    "ProgramIndexPage",
    "ProgramPage",
    "ThemePage",
]
