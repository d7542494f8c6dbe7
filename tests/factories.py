"""Test data: users, stored submissions and what a person fills in on a form.

A form's fields are found by what they ask for, not by the seed's wording: by
the purpose an editor declared (``autocomplete``: name, email, tel,
organization, organization-title) or by their type (the programme choice, the
message, the consent box). Renaming a label in the seed renames nothing here.
"""

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images.models import Image

from PIL import Image as PILImage

from forms.models import (
    ContactFormPage,
    ContactSubmission,
    InterestFormPage,
    InterestSubmission,
)
from forms.models.fields import PROGRAM_CHOICE, Autocomplete
from tests.verification import solved_payload

# The groups forms/migrations/0002 creates.
EDITORS = "Redaktörer"
MANAGERS = "Programansvariga"

# The keys ``answers`` takes besides a field's own name: a declared purpose...
PURPOSES = {
    "name": Autocomplete.NAME,
    "email": Autocomplete.EMAIL,
    "tel": Autocomplete.TEL,
    "organization": Autocomplete.ORGANIZATION,
    "role": Autocomplete.ORGANIZATION_TITLE,
}
# ...or a field type.
TYPES = {"programs": PROGRAM_CHOICE, "message": "multiline", "consent": "checkbox"}

# Who fills in the forms unless a test says otherwise, by purpose or type.
ANNA = {
    "name": "Anna Andersson",
    "email": "anna@exempel.se",
    "tel": "070-123 45 67",
    "organization": "Exempelkommun",
    "message": "Jag vill veta mer.",
    "consent": "on",
}
BO = {
    "name": "Bo Berg",
    "email": "bo@exempel.se",
    "message": "En fråga om programmen.",
    "consent": "on",
}


@dataclass(frozen=True)
class FormField:
    name: str
    type: str
    purpose: str
    choices: tuple[str, ...]


def form_fields(form):
    """The fields of a form page, or of its definition from ``GET /api/forms/{id}``."""
    if isinstance(form, dict):
        return [
            FormField(
                field["name"],
                field["type"],
                field.get("autocomplete") or "",
                tuple(choice["value"] for choice in field["choices"] or ()),
            )
            for field in form["fields"]
        ]
    fields = form.get_form_fields()
    builder = form.form_builder(fields)
    return [
        FormField(
            field.clean_name,
            field.field_type,
            field.autocomplete,
            tuple(value for value, _ in builder.get_formatted_field_choices(field))
            if field.choices
            else (),
        )
        for field in fields
    ]


def keyed_names(fields):
    """Each purpose and type key (``PURPOSES``, ``TYPES``) to its first field's name."""
    names = {}
    for field in fields:
        for key, purpose in PURPOSES.items():
            if field.purpose == purpose:
                names.setdefault(key, field.name)
        for key, field_type in TYPES.items():
            if field.type == field_type:
                names.setdefault(key, field.name)
    return names


def field_name(form, key):
    """The name of ``form``'s field for ``key``: a purpose (name, email, tel,
    organization, role) or a type (programs, message, consent)."""
    return keyed_names(form_fields(form))[key]


def named(names, values):
    """``values`` with each purpose or type key replaced by its field's name."""
    data = {}
    for key, value in values.items():
        data[names.get(key, key)] = value
    return {name: value for name, value in data.items() if value is not None}


def answers(form, **values):
    """``values`` under the names of ``form``'s fields.

    A key is a purpose or type (see ``field_name``) or a field's own name; a key
    no field answers to (altcha, website) is kept as it is. A later key wins
    over an earlier one for the same field; ``None`` leaves the field out.
    """
    return named(keyed_names(form_fields(form)), values)


def filled_in(form, person, altcha, overrides):
    """``person``'s answers to ``form`` (a field with options: its first), a
    verification (``altcha``, by default freshly solved), then ``overrides``."""
    fields = form_fields(form)
    names = keyed_names(fields)
    data = {field.name: field.choices[0] for field in fields if field.choices}
    data.update({key: value for key, value in person.items() if key in names})
    data["altcha"] = solved_payload() if altcha is None else altcha
    return named(names, {**data, **overrides})


def interest_data(programs, /, altcha=None, *, form=None, **overrides):
    """What a person fills in on the interest form: Anna, choosing ``programs``.

    ``form`` is the form page or its API definition, by default the site's one
    interest form; ``overrides`` as for ``answers``, e.g. ``email="fel"`` or
    ``programs=["999999"]``.
    """
    form = InterestFormPage.objects.get() if form is None else form
    person = {**ANNA, "programs": [str(program.pk) for program in programs]}
    return filled_in(form, person, altcha, overrides)


def contact_data(altcha=None, *, form=None, **overrides):
    """What a person fills in on the contact form: Bo, with a question."""
    form = ContactFormPage.objects.get() if form is None else form
    return filled_in(form, BO, altcha, overrides)


SAMPLE_VALUES = {
    "singleline": "Testa Testsson",
    "multiline": "Ett meddelande.",
    "email": "testa@example.org",
    "number": 3,
    "url": "https://example.org/",
    "date": "2025-03-01",
    "datetime": "2025-03-01T10:00",
    "checkbox": True,
}


def valid_data(definition):
    """Values for every field of a form definition from ``GET /api/forms/{id}``."""
    data = {}
    for field in definition["fields"]:
        kind, choices = field["type"], field["choices"]
        if kind in ("checkboxes", "multiselect", "program_choice"):
            data[field["name"]] = [choices[0]["value"]]
        elif choices:
            data[field["name"]] = choices[0]["value"]
        elif field.get("autocomplete") == "tel":
            data[field["name"]] = "070-123 45 67"
        elif kind in SAMPLE_VALUES:
            data[field["name"]] = SAMPLE_VALUES[kind]
    return data


def make_member(user_model, username, group_name, *, password="x"):
    """A user in one of the groups the migrations create."""
    user = user_model.objects.create_user(
        username=username, email=f"{username}@skr.se", password=password
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def backdate(submission, days_ago):
    """Move a stored submission ``days_ago`` days into the past."""
    submit_time = timezone.now() - timedelta(days=days_ago)
    type(submission).objects.filter(pk=submission.pk).update(submit_time=submit_time)
    submission.submit_time = submit_time


def make_registration(
    page, name, programs=(), *, year=2025, days_ago=0, message="Hej!", **fields
):
    """An interest submission as the public form would have stored it."""
    fields.setdefault("email", f"{name.split()[0].lower()}@example.se")
    fields.setdefault("organisation", "Exempelkommun")
    fields.setdefault("role", "Kommunstyrelsens ordförande")
    submission = InterestSubmission.objects.create(
        page=page,
        name=name,
        intake_year=year,
        form_data=answers(page, name=name, email=fields["email"], message=message),
        **fields,
    )
    submission.programs.set(programs)
    if days_ago:
        backdate(submission, days_ago)
    return submission


def make_contact(page, name, *, days_ago=0, **fields):
    """A contact request as the public form would have stored it."""
    submission = ContactSubmission.objects.create(
        page=page,
        name=name,
        email=f"{name.split()[0].lower()}@example.se",
        form_data=answers(page, name=name, message="En fråga om programmen."),
        **fields,
    )
    if days_ago:
        backdate(submission, days_ago)
    return submission


def set_interest_window(year, opens=None, closes=None):
    """Open and close interest for every intake of ``year``: days from now, or None.

    The interest form has no dates of its own: its year's intakes open and close it.
    """
    from programs.models import Intake

    now = timezone.now()
    Intake.objects.filter(year=year).update(
        interest_opens_at=None if opens is None else now + timedelta(days=opens),
        interest_closes_at=None if closes is None else now + timedelta(days=closes),
    )


def make_image(title="Porträtt", size=(1200, 800), **fields):
    """A stored Wagtail image of ``size`` (a real PNG, so renditions can be made)."""
    buffer = BytesIO()
    PILImage.new("RGB", size, "steelblue").save(buffer, "PNG")
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png"), **fields
    )
