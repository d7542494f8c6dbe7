"""The intake's admin form: what it takes to publish an intake."""

from wagtail.admin.forms import WagtailAdminModelForm


class IntakeAdminForm(WagtailAdminModelForm):
    """Refuses to publish an intake whose pages would mislead readers.

    Saving a draft defers the check (Wagtail defers required fields then too),
    so a new year can be prepared before its dates are known.
    """

    def clean(self):
        cleaned = super().clean()
        if self.is_deferred_validation:
            return cleaned
        for name, message in self.instance_with(cleaned).publishing_errors().items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def instance_with(self, cleaned):
        """The intake as it would be saved: the form's values on a copy."""
        intake = self.instance.__class__(
            **{
                field.attname: getattr(self.instance, field.attname)
                for field in self.instance._meta.concrete_fields
            }
        )
        for name in ("interest_opens_at", "interest_closes_at", "status_override"):
            if name in cleaned:
                setattr(intake, name, cleaned[name])
        return intake
