import base64
import json

from django.core.cache import cache

import pytest
from altcha import Challenge, Payload, solve_challenge

from forms.models import ContactFormPage, InterestFormPage
from programs.models import ProgramIndexPage

INTEREST_PATH = "/toppolitikerprogrammen/intresseanmalan/"
CONTACT_PATH = "/kontakt/"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts and spent challenges must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


def add_form_page(parent, page_class, title, slug, fields, **values):
    page = page_class(title=title, slug=slug, **values)
    page.form_fields = [
        page_class.form_fields.rel.related_model(sort_order=order, **field)
        for order, field in enumerate(fields)
    ]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


FALLBACK_FIELDS = [
    {"label": "Namn", "field_type": "singleline", "autocomplete": "name"},
    {"label": "E-postadress", "field_type": "email", "autocomplete": "email"},
    {"label": "Program", "field_type": "program_choice"},
    {"label": "Jag har läst om personuppgifter", "field_type": "checkbox"},
]


@pytest.fixture
def interest_page(seed_pages):
    """The seeded interest form, or an equivalent one while the seed lacks it."""
    page = seed_pages.get(INTEREST_PATH)
    if page is not None:
        return page
    index = ProgramIndexPage.objects.get()
    return add_form_page(
        index,
        InterestFormPage,
        "Intresseanmälan för 2025",
        "intresseanmalan",
        [{**field, "required": True} for field in FALLBACK_FIELDS],
        intake_year=2025,
    )


@pytest.fixture
def contact_page(seed_pages):
    page = seed_pages.get(CONTACT_PATH)
    if page is not None:
        return page
    return add_form_page(
        seed_pages["/"],
        ContactFormPage,
        "Kontakta oss",
        "kontakt",
        [{**field, "required": True} for field in FALLBACK_FIELDS[:2]],
    )


def solved_payload(client, challenge_url):
    """Fetch a challenge from the site and really solve its proof of work."""
    challenge = Challenge.from_dict(client.get(challenge_url).json())
    solution = solve_challenge(challenge, timeout=30)
    assert solution is not None, "the test challenge should be cheap to solve"
    return Payload(challenge, solution).to_base64()


def forged_payload(payload):
    """The same payload with a wrong derived key."""
    data = json.loads(base64.b64decode(payload))
    key = data["solution"]["derivedKey"]
    data["solution"]["derivedKey"] = ("1" if key[0] == "0" else "0") + key[1:]
    return base64.b64encode(json.dumps(data).encode()).decode()


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
        elif kind in SAMPLE_VALUES:
            data[field["name"]] = SAMPLE_VALUES[kind]
    return data
