"""The JSON each form field takes through the forms API, and what a wrong one is told.

A browser sends every field as text; JSON can send anything, and Django's form
fields take what they are given: ``"yes"`` ticks a box, ``["a", "b"]`` becomes
the text ``"['a', 'b']"``. So the API says per field which JSON type it takes
(``value_type``, named as in JSON Schema), derived from the very form field
that will clean it, and refuses a value of another type, before the form and
its verification see it, with a Swedish message that names the field.
"""

from enum import StrEnum
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


class ValueType(StrEnum):
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ARRAY = "array"


def value_type(formfield: forms.Field) -> ValueType:
    """What ``formfield`` takes: a list of choice values for fields with several
    choices (the programme choice, checkboxes, a multiple select), ``true`` or
    ``false`` for a box, a number for a number, else text."""
    if getattr(formfield.widget, "allow_multiple_selected", False):
        return ValueType.ARRAY
    if isinstance(formfield, forms.BooleanField):
        return ValueType.BOOLEAN
    if isinstance(
        formfield, forms.IntegerField | forms.DecimalField | forms.FloatField
    ):
        return ValueType.NUMBER
    return ValueType.STRING


def is_text(value: Any) -> bool:
    """A string that encodes as UTF-8: JSON escapes can carry lone surrogates
    (``"\\ud800"``), which no column, e-mail or response body can hold."""
    if not isinstance(value, str):
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def has_surrogates(value: Any) -> bool:
    texts = value if isinstance(value, list) else [value]
    return any(isinstance(text, str) and not is_text(text) for text in texts)


def json_kind(value: Any) -> str:
    """What was sent, in the words of the message."""
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("true eller false")
    if isinstance(value, int | float):
        return _("ett tal")
    if isinstance(value, str):
        return _("en text")
    if isinstance(value, list):
        return _("en lista")
    return _("ett objekt")


EXPECTED = {
    ValueType.STRING: _lazy("en text"),
    ValueType.NUMBER: _lazy("ett tal"),
    ValueType.BOOLEAN: _lazy("true eller false"),
    ValueType.ARRAY: _lazy("en lista med texter"),
}


def matches(value: Any, expected: ValueType) -> bool:
    if expected == ValueType.STRING:
        return isinstance(value, str)
    if expected == ValueType.NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected == ValueType.BOOLEAN:
        return isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


UNSAVABLE_MESSAGE = _lazy(
    "Fältet ”%(label)s” (%(name)s) innehåller tecken som inte går att spara."
)
WRONG_TYPE_MESSAGE = _lazy(
    "Fältet ”%(label)s” (%(name)s) ska vara %(expected)s, inte %(given)s."
)


def value_error(name: str, label: str, value: Any, expected: ValueType) -> str | None:
    """The Swedish message for ``value`` sent for the field ``name``, or ``None``
    if the field takes it."""
    where = {"label": label, "name": name}
    if matches(value, expected):
        if has_surrogates(value):
            return UNSAVABLE_MESSAGE % where
        return None
    given = json_kind(value)
    if expected == ValueType.ARRAY and isinstance(value, list):
        given = _("en lista med annat än texter")
    return WRONG_TYPE_MESSAGE % {
        **where,
        "expected": EXPECTED[expected],
        "given": given,
    }


def value_errors(
    formfields: dict[str, forms.Field], data: dict
) -> dict[str, list[str]]:
    """A message for each value in ``data`` that its field does not take."""
    errors = {}
    for name, value in data.items():
        formfield = formfields.get(name)
        if formfield is None:
            continue
        label = str(formfield.label or name)
        message = value_error(name, label, value, value_type(formfield))
        if message:
            errors[name] = [message]
    return errors
