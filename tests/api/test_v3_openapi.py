"""The v3 OpenAPI document says what the API answers, so generated clients type it."""

import re

import pytest

from .v3 import V3, openapi

pytestmark = pytest.mark.django_db

ERRORS = {"400", "401", "403", "404", "422", "429"}
PROBLEM = "#/components/schemas/Problem"


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_every_operation_declares_its_errors_as_problems():
    document = openapi()
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert set(responses) >= ERRORS, (method, path)
        for code in ERRORS:
            content = responses[code]["content"]["application/problem+json"]
            assert content == {"schema": {"$ref": PROBLEM}}
        assert "Retry-After" in responses["429"]["headers"]
        if method == "get":
            assert "304" in responses, path
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "/api/v3/problems/validation-error" in problem["properties"]["type"]["enum"]


def test_listings_declare_their_bounds(settings):
    document = openapi()
    params = {
        p["name"]: p["schema"]
        for p in document["paths"][f"{V3}/pages/"]["get"]["parameters"]
    }
    assert params["limit"]["maximum"] == settings.WAGTAILAPI_LIMIT_MAX
    assert params["offset"]["maximum"] == 2**31 - 1


def test_wall_clock_times_are_a_pattern_that_the_answers_match(client, seed_pages):
    document = openapi()
    assert not [n for n in walk(document) if n.get("format") == "time"]
    session = document["components"]["schemas"]["PageSessionSchema"]
    pattern = re.compile(session["properties"]["start_time"]["pattern"])

    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    data = client.get(f"{V3}/pages/{programme.pk}/").json()
    times = [
        value
        for intake in data["intakes"]
        for session in intake["sessions"]
        for value in (session["start_time"], session["end_time"])
    ]
    assert times
    assert all(pattern.match(value) for value in times), times


def test_the_page_union_has_a_discriminator_every_page_carries(client, seed_pages):
    document = openapi()
    detail = document["paths"][f"{V3}/pages/{{page_id}}/"]["get"]["responses"]["200"]
    union = detail["content"]["application/json"]["schema"]
    discriminator = union["discriminator"]
    assert discriminator["propertyName"] == "type"
    assert set(discriminator["mapping"].values()) == {m["$ref"] for m in union["oneOf"]}

    for page in seed_pages.values():
        data = client.get(f"{V3}/pages/{page.pk}/").json()
        assert data["type"] == data["meta"]["type"]
        assert data["type"] in discriminator["mapping"]
