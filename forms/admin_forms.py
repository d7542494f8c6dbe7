"""The admin's edit form for the form pages, and when its recipients take effect."""

from wagtail.contrib.forms.forms import WagtailAdminFormPageForm

RECIPIENTS_FIELD = "to_address"


class SubmissionFormPageForm(WagtailAdminFormPageForm):
    """Notes a change of recipients, for :func:`apply_recipients` to store.

    The recipients are not versioned with the page's content (see
    ``SubmissionFormPage.with_content_json``): the stored page is where they
    live, so a change must reach it on saving, not wait for a publish that a
    later draft, revert or scheduled revision would otherwise decide. The field is
    only in the form for people who may read the submissions; a new page stores it
    when it is created.
    """

    def save(self, commit=True):
        page = super().save(commit=commit)
        page.recipients_changed = RECIPIENTS_FIELD in self.changed_data
        return page


def apply_recipients(request, page):
    """``after_edit_page``: store changed recipients when the editor saves.

    Not on an autosave (a JSON request every pause in typing): a half-typed
    address that happens to be valid, "an@skr.se" on the way to "anna@skr.se",
    must never receive a notification. The next explicit save or publish stores
    the finished value.
    """
    if not getattr(page, "recipients_changed", False):
        return
    if not request.accepts("text/html"):
        return
    type(page)._default_manager.filter(pk=page.pk).update(
        **{RECIPIENTS_FIELD: getattr(page, RECIPIENTS_FIELD)}
    )


class SubmissionFormPageAPIForm(SubmissionFormPageForm):
    """The same form for writes through the v3 API (``api_base_form_class``).

    The API builds the form from the writable ``api_fields`` only, which leave
    out the recipients; the panel's permission rule for that field would then
    remove a field the form does not have and fail (a KeyError, answered 500).
    Rules for fields the form lacks are dropped first; the recipients stay out
    of the API's reach either way.
    """

    def __init__(self, *args, **kwargs):
        rules = self._meta.field_permissions or {}
        self._meta.field_permissions = {
            name: rule for name, rule in rules.items() if name in self.base_fields
        }
        super().__init__(*args, **kwargs)
