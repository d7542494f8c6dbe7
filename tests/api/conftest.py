import base64
import json

from altcha import Challenge, Payload, solve_challenge


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
        elif field.get("autocomplete") == "tel":
            data[field["name"]] = "070-123 45 67"
        elif kind in SAMPLE_VALUES:
            data[field["name"]] = SAMPLE_VALUES[kind]
    return data
