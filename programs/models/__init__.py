from .contacts import ContactPerson, InformationOwnerMixin, PageContactPerson
from .pages import Intake, ProgramIndexPage, ProgramPage, ThemePage
from .snippets import ProgramFormat

__all__ = [
    "ContactPerson",
    "InformationOwnerMixin",
    "Intake",
    "PageContactPerson",
    "ProgramFormat",
    "ProgramIndexPage",
    "ProgramPage",
    "ThemePage",
]
