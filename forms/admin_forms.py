"""The admin's edit form for the form pages."""

from wagtail.contrib.forms.forms import WagtailAdminFormPageForm

RECIPIENTS_FIELD = "to_address"


class SubmissionFormPageForm(WagtailAdminFormPageForm):
    """Writes a change of recipients to the page at once, draft or not.

    The recipients are not versioned with the page's content (see
    ``SubmissionFormPage.with_content_json``): the stored page is where they
    live, so a change must reach it on saving, not wait for a publish that a
    later draft, revert or scheduled revision would otherwise decide. The field is
    only in the form for people who may read the submissions; a new page stores it
    when it is created.
    """

    def save(self, commit=True):
        page = super().save(commit=commit)
        if page.pk and RECIPIENTS_FIELD in self.changed_data:
            type(page)._default_manager.filter(pk=page.pk).update(
                **{RECIPIENTS_FIELD: getattr(page, RECIPIENTS_FIELD)}
            )
        return page
