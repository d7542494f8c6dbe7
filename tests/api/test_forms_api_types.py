"""The forms API says what JSON each field takes, and refuses anything else in Swedish.

The definition gives every field a ``value_type`` (``string``, ``number``,
``boolean`` or ``array``, as in JSON Schema) and ``multiple`` (whether it takes
a list: the programme choice, checkboxes, a multiple select); the OpenAPI
document describes both. A submission with a value of another type is a 400
problem whose message names the field by its label and its name, before the
verification is looked at, so the solved challenge can still be used.
"""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.models import InterestFormField, InterestSubmission
from tests.api.test_forms_api import assert_problem, definition, post
from tests.factories import valid_data
from tests.verification import solved_payload

pytestmark = pytest.mark.django_db

# Generated submissions per fuzz test: a few hundred locally
# (FORMS_API_FUZZ_EXAMPLES=500), fewer in the suite.
FUZZ_EXAMPLES = int(os.environ.get("FORMS_API_FUZZ_EXAMPLES", "40"))


@pytest.fixture
def more_fields(interest_page):
    """Fields a communicator may add: every type that takes a list or a
    non-text value."""
    added = [
        ("Vilka dagar passar?", "checkboxes", "Måndag\nTisdag"),
        ("Vilka orter?", "multiselect", "Stockholm\nGöteborg"),
        ("Antal deltagare", "number", ""),
        ("Hur fick du veta?", "dropdown", "Kollega\nWebben"),
    ]
    for order, (label, field_type, choices) in enumerate(added, start=100):
        InterestFormField.objects.create(
            page=interest_page,
            label=label,
            field_type=field_type,
            choices=choices,
            required=False,
            sort_order=order,
        )
    return interest_page


def fields_by_type(client, page):
    return {field["type"]: field for field in definition(client, page)["fields"]}


def test_the_definition_says_which_fields_take_a_list(client, more_fields):
    fields = fields_by_type(client, more_fields)

    lists = {kind for kind, field in fields.items() if field["multiple"]}
    assert lists == {"program_choice", "checkboxes", "multiselect"}
    assert {kind: field["value_type"] for kind, field in fields.items()} == {
        "singleline": "string",
        "email": "string",
        "radio": "string",
        "program_choice": "array",
        "multiline": "string",
        "checkbox": "boolean",
        "checkboxes": "array",
        "multiselect": "array",
        "number": "number",
        "dropdown": "string",
    }


def test_the_openapi_document_describes_value_type_and_multiple(client):
    schema = json.loads(client.get("/api/forms/openapi.json").content)

    field = schema["components"]["schemas"]["FieldDefinition"]
    assert field["properties"]["multiple"]["type"] == "boolean"
    value_type = field["properties"]["value_type"]
    if "$ref" in value_type:
        value_type = schema["components"]["schemas"][value_type["$ref"].split("/")[-1]]
    assert set(value_type["enum"]) == {"string", "number", "boolean", "array"}
    assert {"multiple", "value_type"} <= set(field["required"])
    body = schema["paths"]["/api/forms/{page_id}/submissions"]["post"]
    values = body["requestBody"]["content"]["application/json"]["schema"]
    assert {option["type"] for option in values["additionalProperties"]["oneOf"]} == {
        "string",
        "number",
        "boolean",
        "array",
    }


WRONG = [
    # (field type, value, what the message says it got)
    ("program_choice", "12", "en text"),
    ("program_choice", [12], "en lista med annat än texter"),
    ("program_choice", {"id": 12}, "ett objekt"),
    ("singleline", ["Anna", "Andersson"], "en lista"),
    ("singleline", {"first": "Anna"}, "ett objekt"),
    ("singleline", 12, "ett tal"),
    ("singleline", None, "null"),
    ("email", True, "true eller false"),
    ("radio", 1, "ett tal"),
    ("multiline", ["Hej"], "en lista"),
    ("checkbox", "yes", "en text"),
    ("checkbox", "on", "en text"),
    ("checkbox", 1, "ett tal"),
    ("checkbox", None, "null"),
    ("checkboxes", "Måndag", "en text"),
    ("multiselect", "Stockholm", "en text"),
    ("number", "3", "en text"),
    ("number", True, "true eller false"),
]
EXPECTED = {
    "string": "en text",
    "number": "ett tal",
    "boolean": "true eller false",
    "array": "en lista med texter",
}


@pytest.mark.parametrize(("field_type", "value", "given"), WRONG)
def test_a_value_of_the_wrong_type_is_a_swedish_400_that_names_the_field(
    client, more_fields, field_type, value, given
):
    form = definition(client, more_fields)
    field = next(f for f in form["fields"] if f["type"] == field_type)
    payload = solved_payload(client, challenge_url=form["challenge_url"])
    data = {**valid_data(form), "altcha": payload, field["name"]: value}

    body = assert_problem(post(client, more_fields, data), 400)

    expected = EXPECTED[field["value_type"]]
    assert body["errors"] == {
        field["name"]: [
            f"Fältet ”{field['label']}” ({field['name']}) ska vara {expected}, "
            f"inte {given}."
        ]
    }
    assert InterestSubmission.objects.count() == 0
    # Refused before the verification: the same solution still works.
    fixed = {**data, field["name"]: valid_data(form)[field["name"]]}
    assert post(client, more_fields, fixed).status_code == 201


def test_every_wrongly_typed_field_is_reported_at_once(client, interest_page):
    form = definition(client, interest_page)
    data = {field["name"]: None for field in form["fields"]}

    body = assert_problem(post(client, interest_page, {**data, "altcha": 1}), 400)

    assert set(body["errors"]) == {*data, "altcha"}
    assert body["errors"]["altcha"] == [
        "Fältet ”Verifiering” (altcha) ska vara en text, inte ett tal."
    ]


def test_a_lone_surrogate_is_refused_naming_the_field(client, interest_page):
    """JSON can escape half a UTF-16 pair; no column or e-mail can store it."""
    form = definition(client, interest_page)
    field = next(f for f in form["fields"] if f["type"] == "singleline")
    data = {**valid_data(form), "altcha": "x", field["name"]: "Anna \ud800"}

    body = assert_problem(post(client, interest_page, data), 400)

    assert body["errors"] == {
        field["name"]: [
            f"Fältet ”{field['label']}” ({field['name']}) innehåller tecken som "
            "inte går att spara."
        ]
    }


# Fuzzing: whatever JSON is sent, the answer is 201 or a Swedish 400, never a 500.

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def assert_answered(response, form):
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        body = assert_problem(response, 400)
        labels = {f["name"]: f["label"] for f in form["fields"]}
        for name, messages in (body.get("errors") or {}).items():
            assert messages and all(isinstance(m, str) and m for m in messages)
            if name in labels and "ska vara" in messages[0]:
                assert f"”{labels[name]}” ({name})" in messages[0]


@pytest.fixture
def fuzzed_form(client, more_fields, settings):
    settings.FORM_RATE_LIMIT = "0"
    return definition(client, more_fields)


def test_any_json_object_is_answered_with_201_or_a_swedish_400(
    client, more_fields, fuzzed_form
):
    names = [field["name"] for field in fuzzed_form["fields"]]
    keys = st.sampled_from([*names, "altcha", "website"]) | st.text(max_size=12)

    @FUZZ
    @given(data=st.dictionaries(keys, JSON_VALUES, max_size=12))
    def send(data):
        assert_answered(post(client, more_fields, data), fuzzed_form)

    send()


def typed_values(field):
    """Values of the field's declared type, its choices among them."""
    choices = [choice["value"] for choice in field["choices"] or []]
    text = st.text(max_size=300)
    if choices:
        text = st.sampled_from(choices) | text
    return {
        "string": text,
        "number": st.integers() | st.floats(allow_nan=False, allow_infinity=False),
        "boolean": st.booleans(),
        "array": st.lists(text, max_size=5),
    }[field["value_type"]]


def test_a_verified_submission_of_any_typed_values_is_answered_with_201_or_a_400(
    client, more_fields, fuzzed_form
):
    """With a valid solution and values of the declared types, what is sent
    reaches the form's own validation and the database."""
    valid = valid_data(fuzzed_form)
    fields = {field["name"]: field for field in fuzzed_form["fields"]}
    changes = st.fixed_dictionaries(
        {}, optional={name: typed_values(field) for name, field in fields.items()}
    )

    @FUZZ
    @given(changes=changes)
    def send(changes):
        data = {**valid, **changes, "altcha": solved_payload()}
        assert_answered(post(client, more_fields, data), fuzzed_form)

    send()
