"""The forms JSON API at /api/forms/: definition, submission, problem details."""

import json
import re

from django.test import Client, override_settings

import pytest

from forms.models import InterestSubmission
from tests.factories import set_interest_window, valid_data
from tests.forms.conftest import REFERENCE_PATTERN
from tests.verification import forged_payload, solved_payload

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def definition(client, page):
    response = client.get(f"/api/forms/{page.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def post(client, page, data, **extra):
    return client.post(
        f"/api/forms/{page.pk}/submissions",
        json.dumps(data),
        content_type="application/json",
        **extra,
    )


def complete_data(client, page):
    form = definition(client, page)
    return {
        **valid_data(form),
        "altcha": solved_payload(client, challenge_url=form["challenge_url"]),
    }


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["type"]
    return body


def set_window(page, opens, closes):
    set_interest_window(page.intake_year, opens, closes)


def test_definition_lists_fields_state_and_urls(client, interest_page):
    form = definition(client, interest_page)
    assert form["id"] == interest_page.pk
    assert form["state"] == "open" and form["is_open"] is True
    assert form["challenge_url"] == "/altcha/challenge/"
    assert form["submission_url"] == f"/api/forms/{interest_page.pk}/submissions"
    names = [field["name"] for field in form["fields"]]
    assert "altcha" not in names and "website" not in names
    assert all(field["label"] for field in form["fields"])


def test_definition_has_what_a_front_end_shows(client, interest_page):
    form = definition(client, interest_page)
    assert form["thank_you_text"] == interest_page.thank_you_text
    assert form["verification"] == {
        "name": "altcha",
        "label": "Verifiering",
        "help_text": "Vi kontrollerar att du är en människa och inte en robot.",
        "challenge_url": "/altcha/challenge/",
    }
    by_type = {field["type"]: field for field in form["fields"]}
    assert by_type["email"]["autocomplete"] == "email"
    assert by_type["singleline"]["max_length"]
    if interest_page.privacy_page:
        assert form["privacy_url"] == interest_page.privacy_page.url


def test_closed_form_definition_carries_the_closed_text(client, interest_page):
    set_window(interest_page, opens=-10, closes=-1)
    form = definition(client, interest_page)
    assert (form["state"], form["is_open"]) == ("closed", False)
    assert form["message"] == interest_page.closed_text


def test_programme_choice_offers_the_live_programmes(client, interest_page, seed_pages):
    form = definition(client, interest_page)
    [choice] = [f for f in form["fields"] if f["type"] == "program_choice"]
    programmes = [
        seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"],
        seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"],
    ]
    assert choice["choices"] == [
        {"value": str(page.pk), "label": page.title} for page in programmes
    ]
    programmes[1].unpublish()
    form = definition(client, interest_page)
    [choice] = [f for f in form["fields"] if f["type"] == "program_choice"]
    assert [c["label"] for c in choice["choices"]] == [programmes[0].title]


def test_definition_is_cacheable_with_etag(client, interest_page):
    url = f"/api/forms/{interest_page.pk}"
    response = client.get(url)
    assert "public" in response["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_valid_submission_with_a_solved_challenge_is_stored(client, interest_page):
    response = post(client, interest_page, complete_data(client, interest_page))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "submitted_at"}
    submission = InterestSubmission.objects.get()
    assert body["reference"] == submission.reference
    assert submission.page_id == interest_page.pk
    assert submission.intake_year == interest_page.intake_year
    assert submission.programs.count() == 1


def test_honeypot_submission_is_answered_as_success_but_not_stored(
    client, interest_page
):
    data = {**complete_data(client, interest_page), "website": "http://spam.example"}
    response = post(client, interest_page, data)
    assert response.status_code == 201
    assert InterestSubmission.objects.count() == 0


@pytest.mark.parametrize("bait", ["x", 0, False, 0.0, " "])
def test_a_bot_cannot_tell_the_honeypot_caught_it(client, interest_page, bait):
    person = post(client, interest_page, complete_data(client, interest_page))
    bot = post(
        client, interest_page, {**complete_data(client, interest_page), "website": bait}
    )

    assert bot.status_code == person.status_code == 201
    assert bot["Content-Type"] == person["Content-Type"]
    assert set(bot.json()) == set(person.json())
    assert re.fullmatch(REFERENCE_PATTERN, bot.json()["reference"])
    assert InterestSubmission.objects.count() == 1


def test_contact_form_takes_submissions_too(client, contact_page):
    response = post(client, contact_page, complete_data(client, contact_page))
    assert response.status_code == 201, response.content
    assert contact_page.get_submission_class().objects.count() == 1


def test_csrf_does_not_apply_to_the_cross_origin_api(interest_page):
    client = Client(enforce_csrf_checks=True)
    response = post(client, interest_page, complete_data(client, interest_page))
    assert response.status_code == 201


def test_invalid_data_gives_swedish_field_errors(client, interest_page):
    data = complete_data(client, interest_page)
    email = next(
        f["name"]
        for f in definition(client, interest_page)["fields"]
        if f["type"] == "email"
    )
    data[email] = "inte en adress"
    body = assert_problem(post(client, interest_page, data), 400)
    assert body["type"].endswith("validation-error")
    assert body["errors"][email] == ["Ange en giltig e-postadress."]
    assert InterestSubmission.objects.count() == 0


def test_missing_required_fields_are_each_reported(client, interest_page):
    form = definition(client, interest_page)
    data = {"altcha": solved_payload(client, challenge_url=form["challenge_url"])}
    body = assert_problem(post(client, interest_page, data), 400)
    required = {f["name"] for f in form["fields"] if f["required"]}
    assert required <= set(body["errors"])
    assert all(messages for messages in body["errors"].values())


def test_missing_solution_is_refused(client, interest_page):
    data = complete_data(client, interest_page)
    del data["altcha"]
    body = assert_problem(post(client, interest_page, data), 400)
    assert body["errors"]["altcha"] == [
        "Du behöver slutföra verifieringen innan du skickar formuläret."
    ]
    assert InterestSubmission.objects.count() == 0


def test_forged_solution_is_refused(client, interest_page):
    data = complete_data(client, interest_page)
    data["altcha"] = forged_payload(data["altcha"])
    body = assert_problem(post(client, interest_page, data), 400)
    assert "altcha" in body["errors"]
    assert InterestSubmission.objects.count() == 0


def test_replayed_solution_is_refused(client, interest_page):
    data = complete_data(client, interest_page)
    assert post(client, interest_page, data).status_code == 201
    body = assert_problem(post(client, interest_page, data), 400)
    assert body["errors"]["altcha"] == [
        "Verifieringen har redan använts. Gör om verifieringen och skicka "
        "formuläret igen."
    ]
    assert InterestSubmission.objects.count() == 1


def test_form_not_yet_open_answers_403(client, interest_page):
    data = complete_data(client, interest_page)
    set_window(interest_page, opens=1, closes=None)
    body = assert_problem(post(client, interest_page, data), 403)
    # The page's own text, then when the year's intakes open for interest.
    assert body["detail"].startswith(interest_page.not_open_text)
    assert "Den öppnar" in body["detail"]
    assert InterestSubmission.objects.count() == 0


def test_closed_form_answers_410(client, interest_page):
    data = complete_data(client, interest_page)
    set_window(interest_page, opens=-10, closes=-1)
    body = assert_problem(post(client, interest_page, data), 410)
    assert body["detail"] == interest_page.closed_text
    assert definition(client, interest_page)["state"] == "closed"
    assert InterestSubmission.objects.count() == 0


@override_settings(FORM_RATE_LIMIT="2/h")
def test_rate_limit_answers_429_with_retry_after(client, interest_page):
    data = complete_data(client, interest_page)
    for _ in range(2):
        post(client, interest_page, {"altcha": "x"})
    response = post(client, interest_page, data)
    body = assert_problem(response, 429)
    assert int(response["Retry-After"]) >= 1
    assert body["detail"]
    assert InterestSubmission.objects.count() == 0


@override_settings(FORM_RATE_LIMIT="0")
def test_rate_limit_of_zero_is_off(client, interest_page):
    for _ in range(12):
        assert post(client, interest_page, {}).status_code == 400


def test_non_form_page_unknown_and_unpublished_pages_are_404(
    client, seed_pages, interest_page
):
    data = complete_data(client, interest_page)
    for page_id in (seed_pages["/toppolitikerprogrammen/"].pk, 999999):
        assert_problem(client.get(f"/api/forms/{page_id}"), 404)
        assert_problem(
            client.post(
                f"/api/forms/{page_id}/submissions",
                json.dumps(data),
                content_type="application/json",
            ),
            404,
        )
    interest_page.unpublish()
    assert_problem(post(client, interest_page, data), 404)
    assert InterestSubmission.objects.count() == 0


def test_form_encoded_body_is_415(client, interest_page):
    response = client.post(
        f"/api/forms/{interest_page.pk}/submissions", {"altcha": "x"}
    )
    assert_problem(response, 415)


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        '"text"',
        "null",
        # JSON Python reads but no one should send:
        "[" * 100_000 + "]" * 100_000,
        '{"namn": NaN}',
        '{"namn": Infinity}',
        '{"\\ud800": "x"}',
    ],
    ids=[
        "not-json",
        "list",
        "string",
        "null",
        "deeply-nested",
        "nan",
        "infinity",
        "surrogate-key",
    ],
)
def test_malformed_json_is_400(client, interest_page, body):
    response = client.post(
        f"/api/forms/{interest_page.pk}/submissions",
        body,
        content_type="application/json",
    )
    problem = assert_problem(response, 400)
    assert problem["type"].endswith("invalid-json")


def test_too_long_and_odd_values_are_field_errors_not_crashes(client, interest_page):
    data = complete_data(client, interest_page)
    for field in definition(client, interest_page)["fields"]:
        if field["type"] == "singleline":
            data[field["name"]] = "x" * 5000
        elif field["type"] == "program_choice":
            data[field["name"]] = [{"id": 1}, None, "abc"]
    body = assert_problem(post(client, interest_page, data), 400)
    assert body["errors"]


def test_an_object_where_a_value_belongs_is_a_field_error(client, interest_page):
    data = complete_data(client, interest_page)
    field = definition(client, interest_page)["fields"][0]
    name, label = field["name"], field["label"]
    data[name] = {"first": "Testa"}
    body = assert_problem(post(client, interest_page, data), 400)
    assert body["errors"] == {
        name: [f"Fältet ”{label}” ({name}) ska vara en text, inte ett objekt."]
    }
    assert InterestSubmission.objects.count() == 0


def test_a_lone_surrogate_in_a_value_is_a_field_error(client, interest_page):
    """JSON can escape half a UTF-16 pair; no column or e-mail can store it."""
    data = complete_data(client, interest_page)
    fields = definition(client, interest_page)["fields"]
    text = next(field for field in fields if field["type"] == "singleline")
    choice = next(f for f in fields if f["type"] == "program_choice")
    data[text["name"]] = "Anna \ud800"
    data[choice["name"]] = [data[choice["name"]][0], "\udfff"]
    response = post(client, interest_page, data)  # json.dumps escapes them
    problem = assert_problem(response, 400)
    unsavable = "Fältet ”{label}” ({name}) innehåller tecken som inte går att spara."
    assert problem["errors"] == {
        field["name"]: [unsavable.format(**field)] for field in (text, choice)
    }
    assert InterestSubmission.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_body_is_413(client, interest_page):
    response = post(client, interest_page, {"meddelande": "x" * 2000})
    assert_problem(response, 413)


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_cross_origin_preflight_for_a_submission(client, interest_page):
    response = client.options(
        f"/api/forms/{interest_page.pk}/submissions",
        HTTP_ORIGIN="https://front.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response["Access-Control-Allow-Origin"] == "https://front.example"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_openapi_document_describes_submissions_and_problems(client):
    response = client.get("/api/forms/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/forms/{page_id}/submissions"]["post"]
    assert "application/json" in operation["requestBody"]["content"]
    assert "201" in operation["responses"]
    for status in ("400", "403", "404", "410", "413", "415", "429"):
        content = operation["responses"][status]["content"]
        assert list(content) == [PROBLEM]
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem["properties"])
    assert "/api/forms/{page_id}" in schema["paths"]


def test_docs_ui_is_off_so_no_cdn_asset_is_loaded(client):
    assert client.get("/api/forms/docs").status_code in (301, 404)
    assert client.get("/api/forms/docs/").status_code == 404


def test_a_list_for_a_single_value_field_is_a_field_error(client, interest_page):
    """Only fields with several choices take a list; a name is not ['a', 'b']."""
    data = complete_data(client, interest_page)
    fields = definition(client, interest_page)["fields"]
    text = next(field for field in fields if field["type"] == "singleline")
    data[text["name"]] = ["Anna", "Andersson"]
    problem = assert_problem(post(client, interest_page, data), 400)
    assert problem["errors"] == {
        text["name"]: [
            f"Fältet ”{text['label']}” ({text['name']}) ska vara en text, "
            "inte en lista."
        ]
    }
    assert InterestSubmission.objects.count() == 0
