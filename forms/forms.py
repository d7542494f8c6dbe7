"""The public form classes built from the communicators' form-builder fields.

Every form gets the same two guards on top of the editors' fields: ALTCHA
verification (required, checked on the server) and a honeypot. Every field has a
length limit, so nothing a client sends can reach the database unbounded.
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from altcha_django import AltchaField, AltchaMixin
from altcha_django.results import ErrorCode

from programs.models import ProgramPage

from .models.fields import Autocomplete
from .models.submissions import BaseSubmission

ALTCHA_FIELD = "altcha"
HONEYPOT_FIELD = "website"
RESERVED_NAMES = (HONEYPOT_FIELD, ALTCHA_FIELD)

SINGLELINE_MAX_LENGTH = 255
MULTILINE_MAX_LENGTH = 4000
EMAIL_MAX_LENGTH = 254
URL_MAX_LENGTH = 2000
NUMBER_MAX_DIGITS = 20
# Input types the HTML spec gives no autofill purpose (autocomplete="email" …).
NO_AUTOFILL_INPUTS = {"checkbox", "radio", "file", "hidden"}
MAX_PROGRAM_CHOICES = 50

VERIFICATION_HELP = "Vi kontrollerar att du är en människa och inte en robot."
_TRY_AGAIN = "Gör om verifieringen och skicka formuläret igen."
VERIFICATION_ERRORS = {
    ErrorCode.REQUIRED.value: _(
        "Du behöver slutföra verifieringen innan du skickar formuläret."
    ),
    ErrorCode.MALFORMED.value: _("Verifieringen kunde inte läsas. " + _TRY_AGAIN),
    ErrorCode.INVALID_SIGNATURE.value: _("Verifieringen godkändes inte. " + _TRY_AGAIN),
    ErrorCode.INVALID_SOLUTION.value: _("Verifieringen godkändes inte. " + _TRY_AGAIN),
    ErrorCode.EXPIRED.value: _("Verifieringen hann gå ut. " + _TRY_AGAIN),
    ErrorCode.REPLAYED.value: _("Verifieringen har redan använts. " + _TRY_AGAIN),
    ErrorCode.UNVERIFIED.value: _("Verifieringen misslyckades. " + _TRY_AGAIN),
    ErrorCode.CLASSIFICATION_REJECTED.value: _(
        "Verifieringen misslyckades. " + _TRY_AGAIN
    ),
    ErrorCode.SCORE_REJECTED.value: _("Verifieringen misslyckades. " + _TRY_AGAIN),
    ErrorCode.FIELDS_HASH_MISMATCH.value: _(
        "Formuläret ändrades efter verifieringen. " + _TRY_AGAIN
    ),
    ErrorCode.BACKEND_ERROR.value: _(
        "Verifieringen fungerar inte just nu. Försök igen om en stund."
    ),
    ErrorCode.MISCONFIGURED.value: _(
        "Verifieringen fungerar inte just nu. Försök igen om en stund."
    ),
}


# Written here, not left to the translation catalogues: Django's and Wagtail's
# Swedish differ ("Detta fält måste fyllas i", "mejladress", no full stop), and
# the form's own label says "E-postadress".
REQUIRED_MESSAGE = _("Det här fältet är obligatoriskt.")
INVALID_EMAIL_MESSAGE = _("Ange en giltig e-postadress.")

# Digits with the usual separators, e.g. "070-123 45 67" or "+46 (0)8 452 70 00".
PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 ()\-./]{4,38}$",
    _("Ange ett telefonnummer med siffror, t.ex. 070-123 45 67."),
)


class TelInput(forms.TextInput):
    input_type = "tel"


class ProgramChoiceField(forms.ModelMultipleChoiceField):
    """The live, public programmes as checkboxes, in the editors' tree order.

    The queryset is evaluated per request, so a programme published or unpublished
    in the tree joins or leaves the form without anyone editing the form.
    """

    widget = forms.CheckboxSelectMultiple

    def __init__(self, exclude=(), **kwargs):
        queryset = ProgramPage.objects.listed().exclude(pk__in=exclude)
        super().__init__(queryset=queryset, **kwargs)
        # Never echo what was sent: it may be long or garbage.
        self.error_messages["invalid_choice"] = _("Välj bland programmen i listan.")
        self.error_messages["invalid_pk_value"] = _("Välj bland programmen i listan.")
        self.error_messages["list"] = _("Välj ett eller flera program i listan.")

    def label_from_instance(self, obj):
        return obj.title

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) > MAX_PROGRAM_CHOICES:
            raise ValidationError(self.error_messages["list"], code="list")
        return super().clean(value)


class SubmissionForm(AltchaMixin, BaseForm):
    """What every public form has besides the editors' fields."""

    website = forms.CharField(
        label=_("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    altcha = AltchaField(
        label=_("Verifiering"),
        help_text=VERIFICATION_HELP,
        required=True,
        error_messages=VERIFICATION_ERRORS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The declared guards come first in the class; people meet them last.
        self.order_fields(
            [name for name in self.fields if name not in RESERVED_NAMES]
            + list(RESERVED_NAMES)
        )

    def clean(self):
        """A list answers only a field with several choices. JSON can send one for
        any field, and a text field would store the list's Python repr as text."""
        cleaned_data = super().clean()
        for name, field in self.fields.items():
            several = getattr(field.widget, "allow_multiple_selected", False)
            if isinstance(self.data.get(name), list | tuple) and not several:
                self.add_error(name, _("Ogiltigt värde."))
        return cleaned_data

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    @property
    def verification(self):
        return self[ALTCHA_FIELD]

    def fields_with_errors(self):
        """The bound fields the error summary links to, in form order."""
        return [field for field in self if field.errors]

    def visible_builder_fields(self):
        """The editors' fields, without the honeypot and the verification."""
        return [field for field in self if field.name not in RESERVED_NAMES]


class SkrFormBuilder(FormBuilder):
    """Wagtail's form builder with length limits, autocomplete and programme choice.

    ``closed_programs`` are left out of the programme choice: their intake takes
    no interest now (full, cancelled) while the form is open for the others.
    """

    def __init__(self, fields, closed_programs=()):
        super().__init__(fields)
        self.closed_programs = set(closed_programs)

    def get_form_class(self):
        form_class = type("SubmissionPageForm", (SubmissionForm,), self.formfields)
        # The fields it was built from, so storing a submission need not load
        # them again (``formfields`` has evaluated them).
        form_class.builder_fields = list(self.fields)
        return form_class

    @property
    def formfields(self):
        formfields = {}
        for field in self.fields:
            create = self.get_create_field_function(field.field_type)
            formfield = create(field, self.get_field_options(field))
            purpose = getattr(field, "autocomplete", "")
            if purpose and self.may_autofill(formfield.widget):
                formfield.widget.attrs["autocomplete"] = purpose
            formfield.error_messages["required"] = REQUIRED_MESSAGE
            formfields[field.clean_name or field.get_field_clean_name()] = formfield
        for name in RESERVED_NAMES:
            # An editor's field may not replace the guards.
            formfields.pop(name, None)
        return formfields

    @staticmethod
    def may_autofill(widget):
        """HTML allows a purpose on text-like inputs, selects and text areas only."""
        if widget.use_fieldset:
            return False
        return getattr(widget, "input_type", None) not in NO_AUTOFILL_INPUTS

    def text_limit(self, field, default):
        """The editor's limit or the default, never more than the column holds."""
        limit = getattr(field, "max_length", None) or default
        column = BaseSubmission.column_for(getattr(field, "autocomplete", ""))
        return min(limit, column.max_length) if column else limit

    def create_singleline_field(self, field, options):
        purpose = getattr(field, "autocomplete", "")
        if purpose == Autocomplete.TEL:
            options.setdefault("widget", TelInput)
            options["validators"] = [PHONE_VALIDATOR]
        if purpose == Autocomplete.EMAIL:
            # Its value becomes the Reply-To and the receipt's address: a text
            # field that says it holds an e-mail address must hold one.
            return self.create_email_field(field, options)
        options["max_length"] = self.text_limit(field, SINGLELINE_MAX_LENGTH)
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = self.text_limit(field, MULTILINE_MAX_LENGTH)
        return super().create_multiline_field(field, options)

    def create_email_field(self, field, options):
        formfield = forms.EmailField(max_length=EMAIL_MAX_LENGTH, **options)
        formfield.error_messages["invalid"] = INVALID_EMAIL_MESSAGE
        return formfield

    def create_url_field(self, field, options):
        return forms.URLField(
            max_length=URL_MAX_LENGTH, assume_scheme="https", **options
        )

    def create_number_field(self, field, options):
        return forms.DecimalField(max_digits=NUMBER_MAX_DIGITS, **options)

    def create_hidden_field(self, field, options):
        options["max_length"] = SINGLELINE_MAX_LENGTH
        return super().create_hidden_field(field, options)

    def create_program_choice_field(self, field, options):
        options.pop("initial", None)
        return ProgramChoiceField(exclude=self.closed_programs, **options)


def restore_verification(form: forms.Form) -> forms.Form:
    """Puts the verification back on a form the second step took it from, so the
    page shows the widget again for someone whose JavaScript works after all."""
    if ALTCHA_FIELD not in form.fields:
        form.fields[ALTCHA_FIELD] = copy.deepcopy(
            SubmissionForm.base_fields[ALTCHA_FIELD]
        )
    return form
