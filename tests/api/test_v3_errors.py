"""v3 errors are problem details in Swedish, each with a type that explains itself."""

import re

from django.test import Client

import pytest

from .v3 import V3, token_client

pytestmark = pytest.mark.django_db

PROGRAMME = "/toppolitikerprogrammen/toppolitikerprogrammet/"
ENGLISH = re.compile(r"\b(the|is|not|should|must|permission|found|input)\b", re.I)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    messages = [e["msg"] for e in body.get("errors", [])]
    for text in [body["title"], body["detail"], *messages]:
        assert not ENGLISH.search(text), text
    return body


def test_invalid_input_is_explained_in_swedish_per_parameter(client):
    body = problem(client.get(f"{V3}/pages/", {"limit": 0, "offset": -1}), 422)

    assert body["type"] == "/api/v3/problems/validation-error"
    messages = {tuple(error["loc"]): error["msg"] for error in body["errors"]}
    assert messages[("query", "limit")] == "Värdet måste vara minst 1."
    assert messages[("query", "offset")] == "Värdet måste vara minst 0."


def test_a_wrong_type_in_a_write_names_the_field(seed_pages, editor):
    programme = seed_pages[PROGRAMME]
    response = token_client(editor).patch(
        f"{V3}/pages/{programme.pk}/",
        {"title": ["inte", "en", "text"]},
        content_type="application/json",
    )

    body = problem(response, 422)
    assert body["errors"] == [
        {
            "type": "string_type",
            "loc": ["body", "data", "programs.ProgramPage", "title"],
            "msg": "Ange en text.",
        }
    ]


def test_an_id_past_what_the_database_stores_is_refused_not_a_500(seed_pages, editor):
    """Schemathesis found it: a programme id of 10**22 in a new intake."""
    response = token_client(editor).post(
        f"{V3}/snippets/programs.Intake/",
        {"program_id": 10**22, "year": 2031},
        content_type="application/json",
    )

    # SQLite refuses the query (OverflowError); PostgreSQL finds no such
    # programme. Either way the client is told, not served a 500.
    body = problem(response, 422)
    (error,) = body["errors"]
    assert error["type"] in {"out_of_range", "invalid_choice"}
    assert error["msg"]


def test_not_found_is_swedish(client):
    body = problem(client.get(f"{V3}/pages/999999/"), 404)
    assert body["type"] == "/api/v3/problems/not-found"
    assert body["title"] == "Hittades inte"


def test_a_token_without_the_permission_is_forbidden_in_swedish(seed_pages, manager):
    programme = seed_pages[PROGRAMME]
    response = token_client(manager).patch(
        f"{V3}/pages/{programme.pk}/",
        {"title": "Ny rubrik"},
        content_type="application/json",
    )
    body = problem(response, 403)
    assert body["type"] == "/api/v3/problems/forbidden"


def test_too_many_requests_are_refused_with_retry_after(seed_pages, settings):
    settings.API_RATE_LIMIT = "3/m"
    client = Client()
    url = f"{V3}/pages/"

    answers = [client.get(url) for _ in range(4)]

    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    body = problem(answers[3], 429)
    assert body["type"] == "/api/v3/problems/rate-limited"
    assert 1 <= int(answers[3]["Retry-After"]) <= 60


def test_each_problem_type_is_a_page_that_explains_it(client, seed_pages, manager):
    seen = {
        problem(client.get(f"{V3}/pages/", {"limit": 0}), 422)["type"],
        problem(client.get(f"{V3}/pages/999999/"), 404)["type"],
        problem(client.get(f"{V3}/pages/{seed_pages['/'].pk}/?version=draft"), 401)[
            "type"
        ],
        problem(
            token_client(manager).patch(
                f"{V3}/pages/{seed_pages[PROGRAMME].pk}/",
                {"title": "x"},
                content_type="application/json",
            ),
            403,
        )["type"],
    }
    for uri in seen:
        page = client.get(uri)
        assert page.status_code == 200, uri
        assert "<h1>" in page.content.decode()
    index = client.get(f"{V3}/problems/").content.decode()
    assert all(uri.rsplit("/", 1)[-1] in index for uri in seen)


def test_the_forms_apis_problem_types_resolve_too(client, interest_page):
    response = client.post(
        f"/api/forms/{interest_page.pk}/submissions",
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    page = client.get(response.json()["type"])
    assert page.status_code == 200
    assert "Ogiltig JSON" in page.content.decode()


def test_an_unknown_problem_type_is_not_found(client):
    assert client.get(f"{V3}/problems/finns-inte").status_code == 404
