"""The admin's edit form for the form pages, and when its recipients take effect."""

from django.utils.translation import gettext as _

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


class InterestFormPageForm(SubmissionFormPageForm):
    """Refuses to publish an interest form whose year's intakes have no closing.

    The form is open while its year's intakes take interest: an intake without
    a closing date would keep it open for ever and give readers no last day.
    Saving a draft defers the check, as Wagtail defers required fields then.
    """

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("intake_year")
        if self.is_deferred_validation or year is None or "intake_year" in self.errors:
            return cleaned
        # Imported here: the admin forms load before the models are ready.
        from programs.models import Intake

        missing = []
        for intake in Intake.objects.filter(year=year).select_related("program"):
            if intake.has_unpublished_changes:
                intake = intake.get_latest_revision_as_object()
            if intake.interest_closes_at is None:
                missing.append(str(intake))
        if missing:
            self.add_error(
                "intake_year",
                _(
                    "Formuläret kan inte publiceras: ”Intresseanmälan stänger” "
                    "saknas på antagningarna %(intakes)s. Fyll i när "
                    "intresseanmälan stänger på antagningarna först."
                )
                % {"intakes": ", ".join(missing)},
            )
        return cleaned


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
