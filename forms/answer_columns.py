"""The answers of an inbox export as columns: one per form field, headed by its label.

An inbox lists the submissions of every form page of its kind, and the forms
change: a communicator adds a question for one year, removes another. The
columns are every field of those pages, the pages in tree order and each
page's fields in form order, a label shared by two pages being one column.
A cell says what the detail view says (``BaseSubmission.answers``); a field
the submission's form did not have is left blank, which is not the "–" of a
question left unanswered. Answers to fields removed since go, as "name: text"
lines, into one last column: the header is written before the first row, so
the columns cannot wait to learn which removed fields the rows hold.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .exports import defuse_formula


class AnswerColumns:
    def __init__(self, pages: Iterable):
        """``pages``: the specific form pages whose submissions are exported,
        in the order their fields' columns should come."""
        # Translated once: gettext per ticked box was a tenth of an export.
        self.yes_no = (_("Ja"), _("Nej"))
        self.labels = list(
            dict.fromkeys(
                field.label for page in pages for field in page.get_form_fields()
            )
        )

    def headings(self, taken: Iterable[str]) -> list[str]:
        """The labels, then the removed fields' heading. A label that is already
        one of the export's own headings ("Namn") is told apart as an answer."""
        taken = set(taken)
        headings = [
            _("%(label)s (svar)") % {"label": label} if label in taken else label
            for label in self.labels
        ]
        # The communicators write the labels, and a heading is a cell too.
        return [defuse_formula(heading) for heading in headings] + [
            _("Svar på borttagna fält")
        ]

    def cells(self, submission, fields) -> list[str]:
        """The submission's answers under ``headings``, in the same order;
        ``fields`` are its form page's. An answer no column has (its page was
        not among ``pages``) joins the removed fields' answers rather than
        being left out."""
        asked, removed = submission.answers_by_field(fields, self.yes_no)
        answers = dict(asked)
        columns = set(self.labels)
        others = [answer for answer in asked if answer[0] not in columns] + removed
        return [answers.get(label, "") for label in self.labels] + [
            "\n".join(f"{name}: {text}" for name, text in others)
        ]
